import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { ConfigError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { assertPositionsInRange, assertPositiveInteger } from './validate.js';

/** Options of {@link RotaryEmbedding}. */
export interface RotaryEmbeddingOptions {
  /** Frequency base (default 10000). */
  readonly base?: number;
  /** Number of positions whose angles are precomputed (the context window). */
  readonly maxPositions: number;
}

/**
 * Rotary position embedding (RoPE), applied to queries and keys. Uses the GPT-NeoX / Hugging Face
 * LLaMA "rotate half" convention: dimension `i` is paired with `i + Dh/2` (not with its neighbour
 * `i + 1` as in the RoFormer paper and GPT-J), so
 * `apply(x) = x * cos + concat(-x2, x1) * sin` with angles `p / base^(2i/Dh)` repeated over both halves.
 * The cos/sin tables are buffers (no parameters). Paper: https://arxiv.org/abs/2104.09864
 *
 * @example
 * ```ts
 * const rope = new RotaryEmbedding(16, { maxPositions: 2048 });
 * const q = rope.apply(tf.ones([1, 4, 3, 16]), 5); // positions 5, 6, 7
 * rope.dispose();
 * ```
 */
export class RotaryEmbedding extends Module {
  /** `cos(angle)` for every position, `[maxPositions, headDim]`, a buffer. */
  readonly cos: tf.Tensor2D;
  /** `sin(angle)` with the first half negated, `[maxPositions, headDim]`, a buffer. */
  readonly signedSin: tf.Tensor2D;
  /** Number of precomputed positions. */
  readonly maxPositions: number;

  /**
   * @param headDim - per-head size Dh; must be even
   * @throws ConfigError when headDim is odd or a size is not a positive integer
   */
  constructor(readonly headDim: number, options: RotaryEmbeddingOptions) {
    super();
    assertPositiveInteger('headDim', headDim);
    assert(headDim % 2 === 0, ConfigError, () => `RotaryEmbedding headDim (${headDim}) must be even`);
    assertPositiveInteger('maxPositions', options.maxPositions);
    const base = options.base ?? 10000;
    assert(base > 1, ConfigError, () => `RotaryEmbedding base (${base}) must be > 1`);
    this.maxPositions = options.maxPositions;
    const half = headDim / 2;
    const cos = new Float32Array(this.maxPositions * headDim);
    const sin = new Float32Array(this.maxPositions * headDim);
    for (let p = 0; p < this.maxPositions; p++) {
      for (let i = 0; i < half; i++) {
        const angle = p / base ** ((2 * i) / headDim);
        const row = p * headDim;
        cos[row + i] = cos[row + i + half] = Math.cos(angle);
        // Folding rotate-half's sign into the table: x * cos + concat(x2, x1) * signedSin.
        sin[row + i] = -Math.sin(angle);
        sin[row + i + half] = Math.sin(angle);
      }
    }
    this.cos = tf.tensor2d(cos, [this.maxPositions, headDim]);
    this.signedSin = tf.tensor2d(sin, [this.maxPositions, headDim]);
  }

  /**
   * Rotates `x` at positions `offset .. offset + T - 1` (offset = length of a KV cache).
   *
   * @param x - queries or keys `[B, H, T, Dh]`
   * @returns `[B, H, T, Dh]`
   * @throws ShapeError when the last axis is not `headDim`; ContextLengthError beyond `maxPositions`
   */
  apply(x: tf.Tensor, offset = 0): tf.Tensor {
    assert(x.rank === 4 && x.shape[3] === this.headDim, ShapeError,
      () => `RotaryEmbedding expects [B, H, T, ${this.headDim}], got [${x.shape}]`);
    const length = x.shape[2] as number;
    assertPositionsInRange(length, offset, this.maxPositions);
    return tf.tidy(() => {
      const cos = tf.slice(this.cos, [offset, 0], [length, this.headDim]); // [T, Dh]
      const sin = tf.slice(this.signedSin, [offset, 0], [length, this.headDim]); // [T, Dh]
      const [x1, x2] = tf.split(x, 2, 3); // [B, H, T, Dh] -> 2 x [B, H, T, Dh/2]
      const swapped = tf.concat([x2 as tf.Tensor, x1 as tf.Tensor], 3); // [B, H, T, Dh]
      return tf.add(tf.mul(x, cos), tf.mul(swapped, sin));
    });
  }
}
