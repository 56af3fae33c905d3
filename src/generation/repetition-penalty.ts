import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { tokenCounts } from './token-counts.js';

/**
 * Checks a repetition penalty.
 * @param penalty - the value to check
 * @throws RangeArgumentError naming it unless finite and > 0
 * @example
 * ```ts
 * assertRepetitionPenalty(1.2); // passes
 * ```
 */
export function assertRepetitionPenalty(penalty: number): void {
  assert(penalty > 0 && Number.isFinite(penalty), RangeArgumentError,
    () => `repetitionPenalty (${penalty}) must be finite and > 0`);
}

/**
 * The CTRL repetition penalty (Keskar et al., https://arxiv.org/abs/1909.05858), with Hugging
 * Face's `RepetitionPenaltyLogitsProcessor` semantics: the logit of every token already in a row's
 * sequence (prompt included) is divided by `penalty` when positive and multiplied by it when
 * negative, so `penalty > 1` always makes a repeat less likely. How often a token occurred does
 * not matter. `penalty = 1` changes nothing.
 *
 * @param logits - `[B, V]` next-token logits
 * @param sequences - the tokens seen so far, one list per row
 * @param penalty - finite, > 0
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError for a bad `penalty`; VocabularyError for an id outside the vocabulary
 * @example
 * ```ts
 * repetitionPenalty(tf.tensor2d([[2, -2, 1]]), [[0, 1]], 2); // [[1, -4, 1]]
 * ```
 */
export function repetitionPenalty(logits: tf.Tensor, sequences: readonly (readonly number[])[], penalty: number): tf.Tensor2D {
  assertRepetitionPenalty(penalty);
  assertLogits(logits, 'repetitionPenalty');
  return tf.tidy(() => {
    const seen = tf.greater(tokenCounts(sequences, logits.shape[1], 'sequences'), 0); // [B, V]
    const penalized = tf.where(tf.less(logits, 0), tf.mul(logits, penalty), tf.div(logits, penalty));
    return tf.where(seen, penalized, logits) as tf.Tensor2D;
  });
}
