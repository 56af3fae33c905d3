import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { VocabularyError } from '../utils/errors.js';

/**
 * Counts, for every batch row, how often each vocabulary id occurs in that row's token list: the
 * dense form of "which tokens were seen" that the penalties and bans of this folder apply.
 *
 * @param rows - one list of token ids per batch row (lengths may differ)
 * @param vocabSize - V, the width of the result
 * @param what - names the lists in error messages (e.g. `'badWordsIds'`)
 * @returns float32 `[B, V]` counts (the caller disposes them)
 * @throws VocabularyError naming the row, position and id of an id outside `[0, vocabSize)`
 * @example
 * ```ts
 * tokenCounts([[2, 0, 2], []], 3, 'history'); // [[1, 0, 2], [0, 0, 0]]
 * ```
 */
export function tokenCounts(rows: readonly (readonly number[])[], vocabSize: number, what: string): tf.Tensor2D {
  const counts = new Float32Array(rows.length * vocabSize);
  rows.forEach((row, b) => row.forEach((id, i) => {
    assert(Number.isInteger(id) && id >= 0 && id < vocabSize, VocabularyError,
      () => `${what}[${b}][${i}] = ${id} is outside the vocabulary [0, ${vocabSize})`);
    counts[b * vocabSize + id] = (counts[b * vocabSize + id] as number) + 1;
  }));
  return tf.tensor2d(counts, [rows.length, vocabSize]);
}
