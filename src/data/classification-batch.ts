import { assert } from '../utils/assert.js';
import { ShapeError } from '../utils/errors.js';
import { checkBatchArray, checkBatchShape } from './batch-arrays.js';
import { IGNORE_INDEX, checkTokenIds } from './causal-lm-batch.js';

/**
 * A batch for sequence classification (one label per row) or regression as flat row-major typed
 * arrays. Integer labels are class indices in `[0, numLabels)`; float labels are regression targets,
 * `numLabels` per row (Hugging Face's `problem_type: "regression"`).
 */
export interface SequenceClassificationBatch {
  /** Rows in the batch (B). */
  readonly batchSize: number;
  /** Tokens per row (T). */
  readonly seqLength: number;
  /** Input token ids, `[B * T]`. */
  readonly inputIds: Int32Array;
  /** Class index per row `[B]` (Int32Array), or regression targets `[B * numLabels]` (Float32Array). */
  readonly labels: Int32Array | Float32Array;
  /** 1 for real tokens, 0 for padding, `[B * T]`; absent means no padding. */
  readonly attentionMask?: Uint8Array;
  /** Segment ids, `[B * T]`; absent means all 0. */
  readonly tokenTypeIds?: Int32Array;
}

/**
 * A batch for token classification (a label per token, e.g. named entities) as flat row-major typed
 * arrays; `labels` holds {@link IGNORE_INDEX} at positions that carry no loss (padding, special
 * tokens, non-first sub-words).
 */
export interface TokenClassificationBatch {
  /** Rows in the batch (B). */
  readonly batchSize: number;
  /** Tokens per row (T). */
  readonly seqLength: number;
  /** Input token ids, `[B * T]`. */
  readonly inputIds: Int32Array;
  /** Class index per token or {@link IGNORE_INDEX}, `[B * T]`. */
  readonly labels: Int32Array;
  /** 1 for real tokens, 0 for padding, `[B * T]`; absent means no padding. */
  readonly attentionMask?: Uint8Array;
  /** Segment ids, `[B * T]`; absent means all 0. */
  readonly tokenTypeIds?: Int32Array;
}

function checkInputs(batch: SequenceClassificationBatch | TokenClassificationBatch, vocabSize: number): number {
  checkBatchShape(batch.batchSize, { seqLength: batch.seqLength });
  const n = batch.batchSize * batch.seqLength;
  checkBatchArray('inputIds', batch.inputIds, n, 'batchSize × seqLength');
  checkBatchArray('attentionMask', batch.attentionMask, n, 'batchSize × seqLength');
  checkBatchArray('tokenTypeIds', batch.tokenTypeIds, n, 'batchSize × seqLength');
  checkTokenIds(batch.inputIds, vocabSize, 'inputIds');
  return n;
}

function checkLabels(labels: ArrayLike<number>, numLabels: number, allowed?: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    assert((Number.isInteger(label) && label >= 0 && label < numLabels) || label === allowed, ShapeError,
      () => `labels[${i}] = ${label} is not a class index in [0, ${numLabels})`);
  }
}

/**
 * Checks a sequence-classification batch: array lengths, ids in the vocabulary, class indices in
 * `[0, numLabels)` (Int32Array labels) or `numLabels` finite targets per row (Float32Array labels).
 * @param batch - the batch to check
 * @param vocabSize - size of the model's vocabulary
 * @param numLabels - number of classes (or regression outputs)
 * @throws ShapeError on lengths and labels, VocabularyError on ids
 * @example
 * ```ts
 * declare const batch: SequenceClassificationBatch;
 * validateSequenceClassificationBatch(batch, 30522, 2);
 * ```
 */
export function validateSequenceClassificationBatch(batch: SequenceClassificationBatch, vocabSize: number, numLabels: number): void {
  checkInputs(batch, vocabSize);
  if (batch.labels instanceof Float32Array) {
    checkBatchArray('labels', batch.labels, batch.batchSize * numLabels, 'batchSize × numLabels');
    const bad = batch.labels.findIndex((v) => !Number.isFinite(v));
    assert(bad < 0, ShapeError, () => `labels[${bad}] = ${batch.labels[bad]} is not a finite regression target`);
  } else {
    checkBatchArray('labels', batch.labels, batch.batchSize, 'batchSize');
    checkLabels(batch.labels, numLabels);
  }
}

/**
 * Checks a token-classification batch: array lengths, ids in the vocabulary, labels in
 * `[0, numLabels)` or {@link IGNORE_INDEX}.
 * @param batch - the batch to check
 * @param vocabSize - size of the model's vocabulary
 * @param numLabels - number of classes
 * @throws ShapeError on lengths and labels, VocabularyError on ids
 * @example
 * ```ts
 * declare const batch: TokenClassificationBatch;
 * validateTokenClassificationBatch(batch, 30522, 9);
 * ```
 */
export function validateTokenClassificationBatch(batch: TokenClassificationBatch, vocabSize: number, numLabels: number): void {
  const n = checkInputs(batch, vocabSize);
  checkBatchArray('labels', batch.labels, n, 'batchSize × seqLength');
  checkLabels(batch.labels, numLabels, IGNORE_INDEX);
}
