import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { maskLogitsBelow } from './masked-logit.js';

/**
 * Checks a min-p ratio.
 * @param p - the value to check
 * @throws RangeArgumentError naming it unless 0 <= p <= 1
 * @example
 * ```ts
 * assertMinP(0.05); // passes
 * ```
 */
export function assertMinP(p: number): void {
  assert(p >= 0 && p <= 1, RangeArgumentError, () => `minP (${p}) must lie in [0, 1]`);
}

/**
 * Min-p filtering (Nguyen et al., "Turning Up the Heat: Min-p Sampling for Creative and Coherent
 * LLM Outputs", https://arxiv.org/abs/2407.01082; Hugging Face's `MinPLogitsWarper`): keeps the
 * tokens whose probability is at least `p` times that of the row's most likely token, and sets the
 * other logits to {@link MASKED_LOGIT}. In logit space the test is `logit >= max + ln p`, so no
 * softmax is needed. The most likely token is always kept; `p = 0` keeps everything.
 *
 * @param logits - `[B, V]` next-token logits (after temperature, as Hugging Face applies it)
 * @param p - the ratio, 0 <= p <= 1
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError when `p` is not in [0, 1]
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * // probabilities ≈ [0.09, 0.67, 0.24]: 0.24 >= 0.3 · 0.67 but 0.09 < 0.2
 * minP(tf.tensor2d([[0, 2, 1]]), 0.3); // [[-1e9, 2, 1]]
 * ```
 */
export function minP(logits: tf.Tensor, p: number): tf.Tensor2D {
  assertMinP(p);
  assertLogits(logits, 'minP');
  return tf.tidy(() => {
    if (p === 0) return tf.clone(logits);
    const threshold = tf.add(tf.max(logits, 1, true), Math.log(p)); // [B, 1]
    return maskLogitsBelow(logits, threshold as tf.Tensor2D);
  });
}
