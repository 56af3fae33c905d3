/**
 * Batching: seeded shuffle buffer, length bucketing, epochs, and a resumable batch source.
 * @module
 */
export { shuffleBuffer, type ShuffleBufferOptions } from './shuffle-buffer.js';
export { bucketByLength, type BucketByLengthOptions, type LengthBuckets } from './bucket-by-length.js';
export { datasetItem, tokenBlocks, type IndexedDataset, type TokenBlocks, type TokenBlocksOptions } from './indexed-dataset.js';
export {
  exampleBatchSource, type BatchContext, type ExampleBatchSource, type ExampleBatchSourceOptions, type ExampleBatchSourceState,
  type LengthBucketing,
} from './example-batch-source.js';
export { iterateEpochs, type EpochBatch } from './iterate-epochs.js';
