import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { dropout, type DropoutOptions } from './dropout.js';

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /** Additive mask broadcastable to `[B, H, Tq, Tk]` (see `causalMask`, `paddingMask`, biases). */
  readonly mask?: tf.Tensor;
  /** Scale scores by `1 / sqrt(Dh)` (default true; T5 folds the scale into its weights). */
  readonly scale?: boolean;
  /** Dropout on the attention probabilities. */
  readonly dropout?: DropoutOptions;
}

/**
 * Scaled dot-product attention `softmax(q k^T / sqrt(Dh) + mask) v`.
 * Paper: https://arxiv.org/abs/1706.03762 (section 3.2.1)
 *
 * @param q - queries `[B, H, Tq, Dh]`
 * @param k - keys `[B, H, Tk, Dh]`
 * @param v - values `[B, H, Tk, Dh]`
 * @returns `[B, H, Tq, Dh]`
 * @throws ShapeError when the shapes do not agree
 * @example
 * ```ts
 * const q = tf.randomNormal([1, 2, 3, 4], 0, 1, 'float32', 1);
 * const out = scaledDotProductAttention(q, q, q, { mask: causalMask(3, 3) }); // [1, 2, 3, 4]
 * ```
 */
export function scaledDotProductAttention(
  q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: AttentionOptions = {},
): tf.Tensor {
  assert(q.rank === 4 && k.rank === 4 && v.rank === 4, ShapeError,
    () => `q, k, v must be [B, H, T, Dh], got [${q.shape}], [${k.shape}], [${v.shape}]`);
  assert(q.shape[3] === k.shape[3] && tf.util.arraysEqual(k.shape, v.shape)
    && q.shape[0] === k.shape[0] && q.shape[1] === k.shape[1], ShapeError,
  () => `attention shapes disagree: q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  return tf.tidy(() => {
    const headDim = q.shape[3] as number;
    // Scaling q ([.., Tq, Dh]) is cheaper than scaling the scores ([.., Tq, Tk]).
    const qs = options.scale === false ? q : tf.mul(q, 1 / Math.sqrt(headDim));
    let scores = tf.matMul(qs, k, false, true); // [B, H, Tq, Tk]
    if (options.mask !== undefined) scores = tf.add(scores, options.mask);
    let probs = tf.softmax(scores, -1);
    if (options.dropout !== undefined) probs = dropout(probs, options.dropout);
    return tf.matMul(probs, v); // [B, H, Tq, Dh]
  });
}
