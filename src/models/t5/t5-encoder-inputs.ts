import { checkTokenIds } from '../../data/causal-lm-batch.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';

/** Encoder inputs of generation as rectangular rows. */
export interface T5EncoderInputs {
  /** `[B][S]` token ids, right-padded. */
  readonly ids: number[][];
  /** `[B][S]` 1 for real tokens, 0 for padding. */
  readonly mask: number[][];
}

/**
 * Prepares encoder inputs for generation as Hugging Face does: rows are right-padded with
 * `padTokenId` to one length, and without an explicit mask every `padTokenId` is masked (HF's
 * `_prepare_attention_mask_for_generation`, when pad differs from eos) along with the padding.
 * Ids are checked against the vocabulary.
 * @param inputIds - one row of ids or several (any lengths ≥ 1)
 * @param attentionMask - optional 1/0 rows of the same lengths as `inputIds`
 * @throws VocabularyError for an id outside the vocabulary; ShapeError for an empty row or a mask that does not fit
 * @example
 * ```ts
 * t5EncoderInputs([[5, 6, 1], [7, 1]], undefined, { vocabSize: 100, padTokenId: 0, eosTokenId: 1 });
 * // { ids: [[5, 6, 1], [7, 1, 0]], mask: [[1, 1, 1], [1, 1, 0]] }
 * ```
 */
export function t5EncoderInputs(
  inputIds: readonly number[] | readonly (readonly number[])[],
  attentionMask: readonly (readonly number[])[] | undefined,
  ids: { readonly vocabSize: number; readonly padTokenId: number; readonly eosTokenId: number },
): T5EncoderInputs {
  const rows = (Array.isArray(inputIds[0]) ? inputIds : [inputIds]) as readonly (readonly number[])[];
  assert(rows.length > 0 && rows.every((row) => Array.isArray(row) && row.length > 0), ShapeError,
    () => 'inputIds must hold at least one non-empty row of token ids');
  rows.forEach((row, b) => checkTokenIds(row, ids.vocabSize, `inputIds[${b}]`));
  assert(attentionMask === undefined || (attentionMask.length === rows.length
    && attentionMask.every((m, b) => m.length === rows[b]?.length && m.every((v) => v === 0 || v === 1))), ShapeError,
  () => 'attentionMask must hold one row of 1/0 per input row, of the same length');
  const width = Math.max(...rows.map((row) => row.length));
  const maskPads = ids.padTokenId !== ids.eosTokenId;
  return {
    ids: rows.map((row) => [...row, ...Array<number>(width - row.length).fill(ids.padTokenId)]),
    mask: rows.map((row, b) => Array.from({ length: width }, (_, t) => {
      if (t >= row.length) return 0;
      const given = attentionMask?.[b]?.[t];
      if (given !== undefined) return given;
      return maskPads && row[t] === ids.padTokenId ? 0 : 1;
    })),
  };
}
