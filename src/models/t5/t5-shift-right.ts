import { IGNORE_INDEX } from '../../data/causal-lm-batch.js';

/**
 * Hugging Face T5's `_shift_right`: decoder inputs from labels, each row shifted one position
 * right behind the decoder start token, with {@link IGNORE_INDEX} replaced by the pad id.
 * @param labels - `[B * L]` row-major label ids
 * @param batchSize - B
 * @param targetLength - L
 * @param decoderStartTokenId - first decoder input of every row
 * @param padTokenId - replaces IGNORE_INDEX
 * @returns `[B * L]` decoder input ids
 * @example
 * ```ts
 * t5ShiftRight(Int32Array.from([5, 6, -100]), 1, 3, 0, 0); // Int32Array [0, 5, 6]
 * ```
 */
export function t5ShiftRight(labels: Int32Array, batchSize: number, targetLength: number, decoderStartTokenId: number, padTokenId: number): Int32Array {
  const out = new Int32Array(batchSize * targetLength);
  for (let b = 0; b < batchSize; b++) {
    out[b * targetLength] = decoderStartTokenId;
    for (let t = 1; t < targetLength; t++) {
      const label = labels[b * targetLength + t - 1] as number;
      out[b * targetLength + t] = label === IGNORE_INDEX ? padTokenId : label;
    }
  }
  return out;
}
