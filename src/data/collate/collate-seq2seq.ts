import { IGNORE_INDEX } from '../causal-lm-batch.js';
import type { Seq2SeqBatch } from '../seq2seq-batch.js';
import { paddedLength, rowAttentionMask, padRows, type RowPadding } from './pad-rows.js';

/**
 * One encoder-decoder example: what the encoder reads and what the decoder must produce.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const pair: Seq2SeqPair = { source: tokenizer.encode('translate English to German: Hello').ids, target: tokenizer.encode('Hallo').ids };
 * ```
 */
export interface Seq2SeqPair {
  /** Encoder token ids (usually ending in EOS). */
  readonly source: ArrayLike<number>;
  /** Decoder target ids (usually ending in EOS). */
  readonly target: ArrayLike<number>;
}

/**
 * Options of {@link collateSeq2Seq}. `padToMultipleOf` and `side` apply to sources and targets.
 * @example
 * ```ts
 * const options: CollateSeq2SeqOptions = { padId: 0, decoderStartId: 0, sourcePadTo: 512 };
 * ```
 */
export interface CollateSeq2SeqOptions extends Omit<RowPadding, 'padTo'> {
  /** Token id written into padded encoder (and decoder input) positions. */
  readonly padId: number;
  /** Fixed encoder length; default the longest source. */
  readonly sourcePadTo?: number;
  /** Fixed decoder length; default the longest target. */
  readonly targetPadTo?: number;
  /**
   * When given, `decoderInputIds` are built here: this id, then the target shifted right (T5 uses
   * its pad id 0). Otherwise the model shifts the labels itself.
   */
  readonly decoderStartId?: number;
}

/**
 * Pads source/target pairs into a {@link Seq2SeqBatch}: sources padded with `padId` (attention
 * mask 0), labels padded with {@link IGNORE_INDEX} (decoder attention mask 0).
 * @param pairs - the examples
 * @throws RangeArgumentError on bad options or no pairs, ContextLengthError when a source or
 *   target exceeds its fixed length
 * @example
 * ```ts
 * const batch = collateSeq2Seq([{ source: [5, 6, 1], target: [7, 1] }, { source: [8, 1], target: [9, 9, 1] }], { padId: 0 });
 * // inputIds [5, 6, 1, 8, 1, 0], labels [7, 1, -100, 9, 9, 1]
 * ```
 */
export function collateSeq2Seq(pairs: readonly Seq2SeqPair[], options: CollateSeq2SeqOptions): Seq2SeqBatch {
  const { padId, side = 'right', decoderStartId } = options;
  const sourceLengths = pairs.map((p) => p.source.length);
  const targetLengths = pairs.map((p) => p.target.length);
  const sourceLength = paddedLength(sourceLengths, { ...options, padTo: options.sourcePadTo }, 'source');
  const targetLength = paddedLength(targetLengths, { ...options, padTo: options.targetPadTo }, 'target');
  const targets = pairs.map((p) => p.target);
  return {
    batchSize: pairs.length,
    sourceLength,
    targetLength,
    inputIds: padRows(pairs.map((p) => p.source), sourceLength, padId, side),
    attentionMask: rowAttentionMask(sourceLengths, sourceLength, side),
    labels: padRows(targets, targetLength, IGNORE_INDEX, side),
    decoderAttentionMask: rowAttentionMask(targetLengths, targetLength, side),
    ...(decoderStartId === undefined ? {} : {
      decoderInputIds: padRows(targets.map((t) => [decoderStartId, ...Array.from(t).slice(0, -1)]), targetLength, padId, side),
    }),
  };
}
