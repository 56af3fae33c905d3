import { VocabularyError } from '../utils/errors.js';
import { checkBatchArray, checkBatchShape } from './batch-arrays.js';

/** Label value that contributes no loss (PyTorch's and Hugging Face's convention). */
export const IGNORE_INDEX = -100;

/**
 * A batch for next-token prediction as flat row-major typed arrays, ready to become tensors.
 * `labels[b, t]` is the token expected after reading `inputIds[b, 0..t]`, or {@link IGNORE_INDEX}.
 */
export interface CausalLMBatch {
  /** Rows in the batch (B). */
  readonly batchSize: number;
  /** Tokens per row (T). */
  readonly seqLength: number;
  /** Input token ids, `[B * T]`. */
  readonly inputIds: Int32Array;
  /** Target token ids, `[B * T]`. */
  readonly labels: Int32Array;
  /** 1 for real tokens, 0 for padding, `[B * T]`; absent means no padding. */
  readonly attentionMask?: Uint8Array;
}

/**
 * Throws a {@link VocabularyError} naming the first id outside `[0, vocabSize)`.
 * @param ids - token ids
 * @param vocabSize - size of the vocabulary
 * @param what - how the ids are called in the message (`inputIds`, `prompt`...)
 * @param allowed - one extra value accepted (e.g. {@link IGNORE_INDEX} in labels)
 * @example
 * ```ts
 * checkTokenIds([1, 2, 600], 512, 'prompt'); // VocabularyError: prompt[2] = 600 is outside the vocabulary [0, 512)
 * ```
 */
export function checkTokenIds(ids: ArrayLike<number>, vocabSize: number, what: string, allowed?: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!(Number.isInteger(id) && id >= 0 && id < vocabSize) && id !== allowed) {
      throw new VocabularyError(`${what}[${i}] = ${id} is outside the vocabulary [0, ${vocabSize})`);
    }
  }
}

/**
 * Checks that a batch's arrays match its shape and that every id is in the vocabulary.
 * @throws ShapeError on array lengths, VocabularyError on ids
 * @example
 * ```ts
 * declare const batch: CausalLMBatch;
 * validateCausalLMBatch(batch, 512);
 * ```
 */
export function validateCausalLMBatch(batch: CausalLMBatch, vocabSize: number): void {
  checkBatchShape(batch.batchSize, { seqLength: batch.seqLength });
  const n = batch.batchSize * batch.seqLength;
  checkBatchArray('inputIds', batch.inputIds, n, 'batchSize × seqLength');
  checkBatchArray('labels', batch.labels, n, 'batchSize × seqLength');
  checkBatchArray('attentionMask', batch.attentionMask, n, 'batchSize × seqLength');
  checkTokenIds(batch.inputIds, vocabSize, 'inputIds');
  checkTokenIds(batch.labels, vocabSize, 'labels', IGNORE_INDEX);
}
