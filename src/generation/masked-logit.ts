import * as tf from '@tensorflow/tfjs-core';

/**
 * The value a filtered-out logit is set to: low enough that its softmax probability is exactly 0
 * in float32 next to any real logit, yet finite, so that no later arithmetic (temperature,
 * subtracting the maximum) can produce `-Infinity - -Infinity = NaN`.
 */
export const MASKED_LOGIT = -1e9;

/**
 * Sets every logit strictly below its row's threshold to {@link MASKED_LOGIT}; ties with the
 * threshold are kept.
 *
 * @param logits - `[B, V]` logits
 * @param threshold - `[B, 1]` lowest logit to keep in each row
 * @returns new `[B, V]` logits (the caller disposes them)
 * @example
 * ```ts
 * maskLogitsBelow(tf.tensor2d([[1, 3, 2]]), tf.tensor2d([[2]])); // [[-1e9, 3, 2]]
 * ```
 */
export function maskLogitsBelow(logits: tf.Tensor2D, threshold: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(tf.less(logits, threshold), tf.fill(logits.shape, MASKED_LOGIT), logits));
}
