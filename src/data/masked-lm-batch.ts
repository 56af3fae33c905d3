import { checkBatchArray, checkBatchShape } from './batch-arrays.js';
import { IGNORE_INDEX, checkTokenIds } from './causal-lm-batch.js';

/**
 * A batch for masked-language-model training (BERT, RoBERTa, DistilBERT) as flat row-major typed
 * arrays. `labels[b, t]` is the original token at a position the collator corrupted, or
 * {@link IGNORE_INDEX} everywhere else.
 */
export interface MaskedLMBatch {
  /** Rows in the batch (B). */
  readonly batchSize: number;
  /** Tokens per row (T). */
  readonly seqLength: number;
  /** Corrupted input token ids, `[B * T]`. */
  readonly inputIds: Int32Array;
  /** Original ids at corrupted positions, {@link IGNORE_INDEX} elsewhere, `[B * T]`. */
  readonly labels: Int32Array;
  /** 1 for real tokens, 0 for padding, `[B * T]`; absent means no padding. */
  readonly attentionMask?: Uint8Array;
  /** Segment ids (0 for the first sentence, 1 for the second), `[B * T]`; absent means all 0. */
  readonly tokenTypeIds?: Int32Array;
}

/**
 * Checks that a masked-LM batch's arrays match its shape and that every id is in the vocabulary.
 * @param batch - the batch to check
 * @param vocabSize - size of the model's vocabulary
 * @throws ShapeError on counts and array lengths, VocabularyError on ids
 * @example
 * ```ts
 * declare const batch: MaskedLMBatch;
 * validateMaskedLMBatch(batch, 30522);
 * ```
 */
export function validateMaskedLMBatch(batch: MaskedLMBatch, vocabSize: number): void {
  checkBatchShape(batch.batchSize, { seqLength: batch.seqLength });
  const n = batch.batchSize * batch.seqLength;
  const shape = 'batchSize × seqLength';
  checkBatchArray('inputIds', batch.inputIds, n, shape);
  checkBatchArray('labels', batch.labels, n, shape);
  checkBatchArray('attentionMask', batch.attentionMask, n, shape);
  checkBatchArray('tokenTypeIds', batch.tokenTypeIds, n, shape);
  checkTokenIds(batch.inputIds, vocabSize, 'inputIds');
  checkTokenIds(batch.labels, vocabSize, 'labels', IGNORE_INDEX);
}
