import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { maskTokens } from './masked-logit.js';

/**
 * Checks a list of banned token sequences.
 * @param badWordsIds - the value to check
 * @throws RangeArgumentError naming the entry unless every sequence is a non-empty list of integers
 * @example
 * ```ts
 * assertBadWordsIds([[5], [7, 8]]); // passes
 * ```
 */
export function assertBadWordsIds(badWordsIds: readonly (readonly number[])[]): void {
  badWordsIds.forEach((words, i) => assert(Array.isArray(words) && words.length > 0 && words.every(Number.isInteger),
    RangeArgumentError, () => `badWordsIds[${i}] (${JSON.stringify(words)}) must be a non-empty list of token ids`));
}

/**
 * The tokens that would complete one of `badWordsIds` after `sequence`: the single-token entries
 * always, and the last token of a longer entry when the sequence ends with the entry's other
 * tokens.
 *
 * @param sequence - the tokens so far
 * @param badWordsIds - banned token sequences
 * @returns the banned ids (may repeat)
 * @example
 * ```ts
 * bannedBadWordTokens([4, 7], [[5], [7, 8], [9, 9]]); // [5, 8]
 * ```
 */
export function bannedBadWordTokens(sequence: readonly number[], badWordsIds: readonly (readonly number[])[]): number[] {
  return badWordsIds.filter((words) => {
    const prefix = words.length - 1;
    if (prefix > sequence.length) return false;
    for (let j = 0; j < prefix; j++) if (sequence[sequence.length - prefix + j] !== words[j]) return false;
    return true;
  }).map((words) => words[words.length - 1] as number);
}

/**
 * Bans token sequences (Hugging Face's `NoBadWordsLogitsProcessor`): sets to {@link MASKED_LOGIT}
 * the logit of every token that would complete one of `badWordsIds` in each row (see
 * {@link bannedBadWordTokens}), so none of them is ever generated.
 *
 * @param logits - `[B, V]` next-token logits
 * @param sequences - the tokens so far, one list per row
 * @param badWordsIds - banned sequences of one or more token ids
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError for an empty entry; VocabularyError for an id outside the vocabulary
 * @example
 * ```ts
 * badWords(tf.tensor2d([[0, 0, 0]]), [[1]], [[0], [1, 2]]); // [[-1e9, 0, -1e9]]
 * ```
 */
export function badWords(
  logits: tf.Tensor, sequences: readonly (readonly number[])[], badWordsIds: readonly (readonly number[])[],
): tf.Tensor2D {
  assertBadWordsIds(badWordsIds);
  assertLogits(logits, 'badWords');
  return maskTokens(logits, sequences.map((s) => bannedBadWordTokens(s, badWordsIds)), 'badWordsIds');
}
