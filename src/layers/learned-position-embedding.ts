import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { assertPositionsInRange, assertPositiveInteger } from './validate.js';

/** Options of {@link LearnedPositionEmbedding}. */
export interface LearnedPositionEmbeddingOptions {
  /** Standard deviation of the normal init (default 0.02). */
  readonly initStd?: number;
  /** Seed of the init. */
  readonly seed: number;
}

/**
 * Learned absolute position embeddings (GPT-2's `wpe`, BERT's `position_embeddings`): one trained
 * vector per position up to the context window.
 *
 * @example
 * ```ts
 * const wpe = new LearnedPositionEmbedding(1024, 16, { seed: 1 });
 * const p = wpe.forward(3, 5); // positions 5, 6, 7: [3, 16]
 * wpe.dispose();
 * ```
 */
export class LearnedPositionEmbedding extends Module {
  /** `[maxPositions, dim]`, initialised normal(0, initStd). */
  readonly weight: tf.Variable;

  /**
   * @param maxPositions - context window
   * @param dim - size of each vector
   */
  constructor(readonly maxPositions: number, readonly dim: number, options: LearnedPositionEmbeddingOptions) {
    super();
    assertPositiveInteger('maxPositions', maxPositions);
    assertPositiveInteger('dim', dim);
    const std = options.initStd ?? 0.02;
    this.weight = this.createNormalParameter([maxPositions, dim], std, options.seed);
  }

  /**
   * Embeddings of positions `offset .. offset + length - 1` (offset = tokens already in a KV cache).
   *
   * @returns `[length, dim]`, to add to token embeddings `[B, length, dim]` by broadcasting
   * @throws ContextLengthError when the positions exceed `maxPositions`
   */
  forward(length: number, offset = 0): tf.Tensor2D {
    assertPositionsInRange(length, offset, this.maxPositions);
    return tf.tidy(() => tf.slice(this.weight, [offset, 0], [length, this.dim]) as tf.Tensor2D);
  }
}
