import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { tokenCounts } from './token-counts.js';

/** The two additive penalties of {@link presenceFrequencyPenalty}. */
export interface PresenceFrequency {
  /** Subtracted once from the logit of every token generated at least once (default 0). */
  readonly presencePenalty?: number;
  /** Subtracted from the logit of every token once per time it was generated (default 0). */
  readonly frequencyPenalty?: number;
}

/**
 * Checks a presence or frequency penalty.
 * @param name - `'presencePenalty'` or `'frequencyPenalty'`, for the message
 * @param value - the value to check
 * @throws RangeArgumentError naming it unless finite
 * @example
 * ```ts
 * assertAdditivePenalty('presencePenalty', 0.5); // passes
 * ```
 */
export function assertAdditivePenalty(name: string, value: number): void {
  assert(Number.isFinite(value), RangeArgumentError, () => `${name} (${value}) must be finite`);
}

/**
 * Presence and frequency penalties with OpenAI's semantics
 * (https://platform.openai.com/docs/advanced-usage/parameter-details):
 * `logit[j] -= count[j] · frequencyPenalty + (count[j] > 0) · presencePenalty`, where `count[j]`
 * is how often token j was generated so far in the row. As in OpenAI's API and vLLM, only
 * generated tokens count, not the prompt (the repetition penalty is the one that sees the prompt).
 * Negative values encourage repeats.
 *
 * @param logits - `[B, V]` next-token logits
 * @param generated - the tokens generated so far, one list per row
 * @param penalties - the two coefficients, each finite
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError for a non-finite coefficient; VocabularyError for an id outside the vocabulary
 * @example
 * ```ts
 * presenceFrequencyPenalty(tf.tensor2d([[1, 1, 1]]), [[0, 0, 2]], { presencePenalty: 0.5, frequencyPenalty: 0.25 });
 * // [[0, 1, 0.25]]
 * ```
 */
export function presenceFrequencyPenalty(
  logits: tf.Tensor, generated: readonly (readonly number[])[], penalties: PresenceFrequency,
): tf.Tensor2D {
  const { presencePenalty = 0, frequencyPenalty = 0 } = penalties;
  assertAdditivePenalty('presencePenalty', presencePenalty);
  assertAdditivePenalty('frequencyPenalty', frequencyPenalty);
  assertLogits(logits, 'presenceFrequencyPenalty');
  return tf.tidy(() => {
    const counts = tokenCounts(generated, logits.shape[1], 'generated'); // [B, V]
    const present = tf.cast(tf.greater(counts, 0), 'float32');
    return tf.sub(logits, tf.add(tf.mul(counts, frequencyPenalty), tf.mul(present, presencePenalty)));
  });
}
