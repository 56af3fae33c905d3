import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { maskLogitsBelow } from './masked-logit.js';

/**
 * Checks a top-k size.
 * @param k - the value to check
 * @throws RangeArgumentError naming it unless it is an integer >= 1
 * @example
 * ```ts
 * assertTopK(40); // passes
 * ```
 */
export function assertTopK(k: number): void {
  assert(Number.isInteger(k) && k >= 1, RangeArgumentError, () => `topK (${k}) must be an integer >= 1`);
}

/**
 * Top-k filtering (Fan et al., "Hierarchical Neural Story Generation",
 * https://arxiv.org/abs/1805.04833): keeps the `k` largest logits of each row and sets the rest to
 * {@link MASKED_LOGIT}. Logits tied with the k-th largest are kept too, as in Hugging Face's
 * `TopKLogitsWarper`. A `k` at least the vocabulary size keeps everything.
 *
 * @param logits - `[B, V]` next-token logits
 * @param k - integer >= 1
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError when `k` is not an integer >= 1
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * topK(tf.tensor2d([[1, 4, 2, 3]]), 2); // [[-1e9, 4, -1e9, 3]]
 * ```
 */
export function topK(logits: tf.Tensor, k: number): tf.Tensor2D {
  assertTopK(k);
  assertLogits(logits, 'topK');
  const [batch, vocab] = logits.shape;
  return tf.tidy(() => {
    if (k >= vocab) return tf.clone(logits);
    const { values } = tf.topk(logits, k); // [B, k], descending
    return maskLogitsBelow(logits, tf.slice(values, [0, k - 1], [batch, 1]));
  });
}
