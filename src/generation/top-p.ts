import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { maskLogitsBelow } from './masked-logit.js';

/**
 * Checks a nucleus mass.
 * @param p - the value to check
 * @throws RangeArgumentError naming it unless 0 < p <= 1
 * @example
 * ```ts
 * assertTopP(0.9); // passes
 * ```
 */
export function assertTopP(p: number): void {
  assert(p > 0 && p <= 1, RangeArgumentError, () => `topP (${p}) must lie in (0, 1]`);
}

/**
 * Nucleus (top-p) filtering (Holtzman et al., "The Curious Case of Neural Text Degeneration",
 * https://arxiv.org/abs/1904.09751): keeps, in each row, the smallest set of most likely tokens
 * whose probabilities sum to at least `p`, and sets the other logits to {@link MASKED_LOGIT}. The
 * most likely token is always kept; tokens tied with the least likely kept one are kept too.
 * `p = 1` keeps everything.
 *
 * @param logits - `[B, V]` next-token logits (probabilities are their softmax)
 * @param p - cumulative probability, 0 < p <= 1
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError when `p` is not in (0, 1]
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * // probabilities ≈ [0.09, 0.67, 0.24]: the top two hold 0.91 >= 0.9
 * topP(tf.tensor2d([[0, 2, 1]]), 0.9); // [[-1e9, 2, 1]]
 * ```
 */
export function topP(logits: tf.Tensor, p: number): tf.Tensor2D {
  assertTopP(p);
  assertLogits(logits, 'topP');
  const vocab = logits.shape[1];
  return tf.tidy(() => {
    if (p === 1) return tf.clone(logits);
    const sorted = tf.topk(logits, vocab).values; // [B, V], descending
    // Mass of the tokens strictly more likely than each one: a token is kept while that is < p.
    const massBefore = tf.cumsum(tf.softmax(sorted), 1, true);
    const kept = tf.where(tf.less(massBefore, p), sorted, tf.fill(sorted.shape, Infinity));
    return maskLogitsBelow(logits, tf.min(kept, 1, true)); // threshold [B, 1]
  });
}
