import * as tf from '@tensorflow/tfjs-core';
import { tokenCounts } from './token-counts.js';

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
  // `logits < threshold` as `logits - threshold < 0` (the same for floats, infinities included):
  // wasm compares a [B, V] with a [B, 1] in a per-element broadcast loop (~2 ms at V 8192, more
  // than a whole decoding step of the small GPT), but subtracts them on XNNPACK (~0.01 ms).
  return tf.tidy(() => tf.where(tf.less(tf.sub(logits, threshold), 0), tf.fill(logits.shape, MASKED_LOGIT), logits));
}

/**
 * Sets the logits of the listed tokens of each row to {@link MASKED_LOGIT} (bans them).
 *
 * @param logits - `[B, V]` logits
 * @param banned - one list of token ids per row (may be empty)
 * @param what - names the lists in error messages
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws VocabularyError for a banned id outside the vocabulary
 * @example
 * ```ts
 * maskTokens(tf.tensor2d([[1, 3, 2]]), [[0, 2]], 'banned'); // [[-1e9, 3, -1e9]]
 * ```
 */
export function maskTokens(logits: tf.Tensor2D, banned: readonly (readonly number[])[], what: string): tf.Tensor2D {
  return tf.tidy(() => {
    const hit = tf.greater(tokenCounts(banned, logits.shape[1], what), 0); // [B, V]
    return tf.where(hit, tf.fill(logits.shape, MASKED_LOGIT), logits);
  });
}
