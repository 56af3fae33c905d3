import { checkBatchArray, checkBatchShape } from './batch-arrays.js';
import { IGNORE_INDEX, checkTokenIds } from './causal-lm-batch.js';

/**
 * A batch for encoder-decoder (T5-style) training as flat row-major typed arrays: the encoder reads
 * `inputIds`, the decoder predicts `labels`. When `decoderInputIds` is absent the model builds it by
 * shifting `labels` right behind its decoder start token (padding where labels hold
 * {@link IGNORE_INDEX}), as Hugging Face does.
 */
export interface Seq2SeqBatch {
  /** Rows in the batch (B). */
  readonly batchSize: number;
  /** Encoder tokens per row (S). */
  readonly sourceLength: number;
  /** Decoder tokens per row (L). */
  readonly targetLength: number;
  /** Encoder token ids, `[B * S]`. */
  readonly inputIds: Int32Array;
  /** 1 for real encoder tokens, 0 for padding, `[B * S]`; absent means no padding. */
  readonly attentionMask?: Uint8Array;
  /** Target token ids, {@link IGNORE_INDEX} at padding, `[B * L]`. */
  readonly labels: Int32Array;
  /** Decoder input ids, `[B * L]`; absent means labels shifted right. */
  readonly decoderInputIds?: Int32Array;
  /** 1 for real decoder tokens, 0 for padding, `[B * L]`; absent means causal masking only. */
  readonly decoderAttentionMask?: Uint8Array;
}

/**
 * Checks that a sequence-to-sequence batch's arrays match its shape and that every id is in the
 * vocabulary.
 * @param batch - the batch to check
 * @param vocabSize - size of the model's vocabulary
 * @throws ShapeError on counts and array lengths, VocabularyError on ids
 * @example
 * ```ts
 * declare const batch: Seq2SeqBatch;
 * validateSeq2SeqBatch(batch, 32128);
 * ```
 */
export function validateSeq2SeqBatch(batch: Seq2SeqBatch, vocabSize: number): void {
  checkBatchShape(batch.batchSize, { sourceLength: batch.sourceLength, targetLength: batch.targetLength });
  const source = batch.batchSize * batch.sourceLength;
  const target = batch.batchSize * batch.targetLength;
  checkBatchArray('inputIds', batch.inputIds, source, 'batchSize × sourceLength');
  checkBatchArray('attentionMask', batch.attentionMask, source, 'batchSize × sourceLength');
  checkBatchArray('labels', batch.labels, target, 'batchSize × targetLength');
  checkBatchArray('decoderInputIds', batch.decoderInputIds, target, 'batchSize × targetLength');
  checkBatchArray('decoderAttentionMask', batch.decoderAttentionMask, target, 'batchSize × targetLength');
  checkTokenIds(batch.inputIds, vocabSize, 'inputIds');
  checkTokenIds(batch.labels, vocabSize, 'labels', IGNORE_INDEX);
  if (batch.decoderInputIds) checkTokenIds(batch.decoderInputIds, vocabSize, 'decoderInputIds');
}
