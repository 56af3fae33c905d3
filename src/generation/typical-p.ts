import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { MASKED_LOGIT } from './masked-logit.js';

/**
 * Checks a typical-p mass.
 * @param p - the value to check
 * @throws RangeArgumentError naming it unless 0 < p <= 1
 * @example
 * ```ts
 * assertTypicalP(0.9); // passes
 * ```
 */
export function assertTypicalP(p: number): void {
  assert(p > 0 && p <= 1, RangeArgumentError, () => `typicalP (${p}) must lie in (0, 1]`);
}

/**
 * Locally typical filtering (Meister et al., "Locally Typical Sampling",
 * https://arxiv.org/abs/2202.00666), as Hugging Face's `TypicalLogitsWarper`: ranks the tokens of
 * each row by how far their surprisal `-log p` lies from the row's entropy, and keeps the closest
 * ones until their probability mass reaches `p` (the first token whose mass reaches it is kept,
 * and so are tokens tied with it). The rest are set to {@link MASKED_LOGIT}. `p = 1` keeps
 * everything.
 *
 * @param logits - `[B, V]` next-token logits
 * @param p - mass to keep, 0 < p <= 1
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError when `p` is not in (0, 1]
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * // a row with one dominant token: its surprisal is closest to the (low) entropy
 * typicalP(tf.tensor2d([[5, 0, 0, 0]]), 0.5); // [[5, -1e9, -1e9, -1e9]]
 * ```
 */
export function typicalP(logits: tf.Tensor, p: number): tf.Tensor2D {
  assertTypicalP(p);
  assertLogits(logits, 'typicalP');
  const [batch, vocab] = logits.shape;
  return tf.tidy(() => {
    if (p === 1) return tf.clone(logits);
    const logProbs = tf.logSoftmax(logits); // [B, V]
    const entropy = tf.neg(tf.sum(tf.mul(logProbs, tf.exp(logProbs)), 1, true)); // [B, 1]
    const distance = tf.abs(tf.sub(tf.neg(logProbs), entropy)); // [B, V]
    const { values, indices } = tf.topk(tf.neg(distance), vocab); // closest to the entropy first
    const sortedLogits = tf.gather(logits, indices, 1, 1); // [B, V]
    const mass = tf.cumsum(tf.softmax(sortedLogits), 1);
    // How many sorted tokens hold less than p: the next one completes the mass.
    const last = tf.minimum(tf.sum(tf.cast(tf.less(mass, p), 'int32'), 1), vocab - 1); // [B]
    const limit = tf.neg(tf.gather(values, tf.reshape(tf.cast(last, 'int32'), [batch, 1]), 1, 1)); // [B, 1] largest kept distance
    // distance > limit, compared as a difference: see maskLogitsBelow for why
    return tf.where(tf.greater(tf.sub(distance, limit), 0), tf.fill([batch, vocab], MASKED_LOGIT), logits) as tf.Tensor2D;
  });
}
