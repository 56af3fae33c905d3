import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ShapeError } from '../utils/errors.js';

/**
 * Checks that `logits` is a `[B, V]` batch of next-token logits, as every logits processor and
 * sampler of this folder expects.
 *
 * @param logits - the tensor to check
 * @param caller - the function name, for the message
 * @throws ShapeError naming the shape when `logits` is not rank 2 with a non-empty vocabulary
 * @example
 * ```ts
 * assertLogits(tf.zeros([2, 10]), 'topK'); // passes
 * assertLogits(tf.zeros([10]), 'topK');    // ShapeError: topK expects logits [B, V], got [10]
 * ```
 */
export function assertLogits(logits: tf.Tensor, caller: string): asserts logits is tf.Tensor2D {
  assert(logits.rank === 2 && (logits.shape[1] ?? 0) > 0, ShapeError,
    () => `${caller} expects logits [B, V] with V > 0, got [${logits.shape}]`);
}
