export { IGNORE_INDEX, checkTokenIds, validateCausalLMBatch, type CausalLMBatch } from './causal-lm-batch.js';
export { checkWindowOptions, sampleWindows, type SampleWindowsOptions } from './sample-windows.js';
export type { BatchSource } from './batch-source.js';
export { randomWindowSource, type RandomWindowSourceOptions } from './random-window-source.js';
export { checkBatchArray, checkBatchShape } from './batch-arrays.js';
export { validateMaskedLMBatch, type MaskedLMBatch } from './masked-lm-batch.js';
export { validateSeq2SeqBatch, type Seq2SeqBatch } from './seq2seq-batch.js';
export {
  validateSequenceClassificationBatch, validateTokenClassificationBatch,
  type SequenceClassificationBatch, type TokenClassificationBatch,
} from './classification-batch.js';
export * from './sources/index.js';
export * from './clean/index.js';
export * from './dedup/index.js';
export * from './split/index.js';
export * from './collate/index.js';
export * from './pack/index.js';
export * from './batching/index.js';
