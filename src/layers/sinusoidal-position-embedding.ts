import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { assertPositionsInRange, assertPositiveInteger } from './validate.js';

/**
 * Fixed sinusoidal position encodings of the original Transformer,
 * `PE[p, 2i] = sin(p / 10000^(2i/dim))`, `PE[p, 2i+1] = cos(p / 10000^(2i/dim))` (interleaved).
 * The table is a buffer: no parameters, nothing in the state dict.
 * Paper: https://arxiv.org/abs/1706.03762 (section 3.5)
 *
 * @example
 * ```ts
 * const pe = new SinusoidalPositionEmbedding(512, 16);
 * const p = pe.forward(4); // [4, 16]
 * pe.dispose();
 * ```
 */
export class SinusoidalPositionEmbedding extends Module {
  /** `[maxPositions, dim]` table, a buffer. */
  readonly table: tf.Tensor2D;

  /**
   * @param maxPositions - number of positions in the table
   * @param dim - size of each encoding
   */
  constructor(readonly maxPositions: number, readonly dim: number) {
    super();
    assertPositiveInteger('maxPositions', maxPositions);
    assertPositiveInteger('dim', dim);
    const data = new Float32Array(maxPositions * dim);
    for (let p = 0; p < maxPositions; p++) {
      for (let j = 0; j < dim; j++) {
        const angle = p / 10000 ** ((2 * Math.floor(j / 2)) / dim);
        data[p * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    this.table = tf.tensor2d(data, [maxPositions, dim]);
  }

  /**
   * Encodings of positions `offset .. offset + length - 1`.
   *
   * @returns `[length, dim]`
   * @throws ContextLengthError when the positions exceed `maxPositions`
   */
  forward(length: number, offset = 0): tf.Tensor2D {
    assertPositionsInRange(length, offset, this.maxPositions);
    return tf.tidy(() => tf.slice(this.table, [offset, 0], [length, this.dim]));
  }
}
