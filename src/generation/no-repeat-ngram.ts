import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';
import { maskTokens } from './masked-logit.js';

/**
 * Checks a no-repeat n-gram size.
 * @param n - the value to check
 * @throws RangeArgumentError naming it unless an integer >= 1
 * @example
 * ```ts
 * assertNGramSize(3); // passes
 * ```
 */
export function assertNGramSize(n: number): void {
  assert(Number.isInteger(n) && n >= 1, RangeArgumentError, () => `noRepeatNgramSize (${n}) must be an integer >= 1`);
}

/**
 * The tokens that would complete, after `sequence`, an n-gram that already occurs in it: those that
 * followed an earlier occurrence of its last `n - 1` tokens. None while the sequence is shorter
 * than `n - 1`.
 *
 * @param sequence - the tokens so far (prompt included)
 * @param n - the n-gram size, >= 1 (n = 1 bans every token already present)
 * @returns the banned ids, in order of first occurrence, without repeats
 * @example
 * ```ts
 * bannedNGramTokens([1, 2, 3, 1, 2], 3); // [3]: "1 2 3" must not occur again
 * ```
 */
export function bannedNGramTokens(sequence: readonly number[], n: number): number[] {
  const start = sequence.length - n + 1; // where the current (n - 1)-token prefix begins
  if (start < 0) return [];
  const banned = new Set<number>();
  for (let i = 0; i + n <= sequence.length; i++) {
    let match = true;
    for (let j = 0; j < n - 1 && match; j++) match = sequence[i + j] === sequence[start + j];
    if (match) banned.add(sequence[i + n - 1] as number);
  }
  return [...banned];
}

/**
 * No-repeat n-gram blocking (Paulus et al., https://arxiv.org/abs/1705.04304; Hugging Face's
 * `NoRepeatNGramLogitsProcessor`): bans, in each row, every token that would repeat an n-gram of
 * the row's sequence (prompt included), by setting its logit to {@link MASKED_LOGIT}.
 *
 * @param logits - `[B, V]` next-token logits
 * @param sequences - the tokens so far, one list per row
 * @param n - the n-gram size, an integer >= 1
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError for a bad `n`; ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * noRepeatNGram(tf.tensor2d([[0, 0, 0, 0]]), [[1, 2, 3, 1, 2]], 3); // [[0, 0, 0, -1e9]]
 * ```
 */
export function noRepeatNGram(logits: tf.Tensor, sequences: readonly (readonly number[])[], n: number): tf.Tensor2D {
  assertNGramSize(n);
  assertLogits(logits, 'noRepeatNGram');
  return maskTokens(logits, sequences.map((s) => bannedNGramTokens(s, n)), 'sequences');
}
