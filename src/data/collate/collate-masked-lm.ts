import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import type { MaskedLMBatch } from '../masked-lm-batch.js';
import { collatorRng, type CollatorRandomness } from './collator-rng.js';
import { maskTokensForMLM, type MaskTokensOptions } from './mask-tokens-for-mlm.js';
import { paddedLength, rowAttentionMask, padRows, type RowPadding } from './pad-rows.js';
import { IGNORE_INDEX } from '../causal-lm-batch.js';

/**
 * One masked-LM example: token ids, optionally with word indices (whole-word masking) and segment
 * ids (sentence pairs), e.g. the fields of a tokenizer's `Encoding`.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const e = tokenizer.encode('Hello world');
 * const example: MaskedLMExample = { inputIds: e.ids, wordIds: e.wordIds, tokenTypeIds: e.typeIds };
 * ```
 */
export interface MaskedLMExample {
  /** Token ids, without padding. */
  readonly inputIds: ArrayLike<number>;
  /** Word index per token (null for special tokens): all tokens of a word are masked together. */
  readonly wordIds?: readonly (number | null)[];
  /** Segment id per token. */
  readonly tokenTypeIds?: ArrayLike<number>;
}

/**
 * Options of {@link collateMaskedLM}.
 * @example
 * ```ts
 * const options: CollateMaskedLMOptions = { maskTokenId: 103, vocabSize: 30522, specialIds: [0, 101, 102], padId: 0, seed: 0 };
 * ```
 */
export interface CollateMaskedLMOptions extends MaskTokensOptions, RowPadding, CollatorRandomness {
  /** Token id written into padded positions (never selected for masking). */
  readonly padId: number;
}

/**
 * Pads examples into a {@link MaskedLMBatch} and corrupts them with {@link maskTokensForMLM}: padding
 * and special tokens are never selected; labels are {@link IGNORE_INDEX} everywhere except the
 * selected positions.
 * @param examples - token arrays or {@link MaskedLMExample}s
 * @throws RangeArgumentError on bad options, ShapeError on mismatched tokenTypeIds, VocabularyError on ids outside the vocabulary,
 *   ContextLengthError when an example exceeds `padTo`
 * @example
 * ```ts
 * const batch = collateMaskedLM([[101, 7592, 102], [101, 102]], { maskTokenId: 103, vocabSize: 30522, specialIds: [0, 101, 102], padId: 0, seed: 0 });
 * ```
 */
export function collateMaskedLM(examples: readonly (ArrayLike<number> | MaskedLMExample)[], options: CollateMaskedLMOptions): MaskedLMBatch {
  const rng = collatorRng(options);
  const side = options.side ?? 'right';
  const items = examples.map((e): MaskedLMExample => ('inputIds' in e ? e : { inputIds: e }));
  items.forEach((e, i) => assert(e.tokenTypeIds === undefined || e.tokenTypeIds.length === e.inputIds.length, ShapeError,
    () => `example ${i} has ${e.tokenTypeIds?.length} tokenTypeIds for ${e.inputIds.length} inputIds`));
  const lengths = items.map((e) => e.inputIds.length);
  const seqLength = paddedLength(lengths, options, 'example');
  const masked = items.map((e) => maskTokensForMLM(e.inputIds, options, rng, e.wordIds));
  const hasTypes = items.some((e) => e.tokenTypeIds !== undefined);
  return {
    batchSize: examples.length,
    seqLength,
    inputIds: padRows(masked.map((m) => m.inputIds), seqLength, options.padId, side),
    labels: padRows(masked.map((m) => m.labels), seqLength, IGNORE_INDEX, side),
    attentionMask: rowAttentionMask(lengths, seqLength, side),
    ...(hasTypes ? { tokenTypeIds: padRows(items.map((e) => e.tokenTypeIds ?? new Int32Array(e.inputIds.length)), seqLength, 0, side) } : {}),
  };
}
