import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { Rng } from '../../utils/rng.js';
import type { BatchSource } from '../batch-source.js';
import { bucketByLength } from './bucket-by-length.js';
import { datasetItem, type IndexedDataset } from './indexed-dataset.js';

/**
 * Where a batch sits in the run, passed to the collate function; `seed` is derived from the source's
 * seed, the epoch and the batch index, so a random collator (masking, span corruption) seeded with
 * it corrupts each batch the same way on a resumed run.
 * @example
 * ```ts
 * declare const options: CollateMaskedLMOptions;
 * const collate = (rows: number[][], at: BatchContext) => collateMaskedLM(rows, { ...options, seed: at.seed });
 * ```
 */
export interface BatchContext {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
  /** A seed for this batch's random choices. */
  readonly seed: number;
}

/**
 * How {@link exampleBatchSource} groups examples of similar length (see `bucketByLength`): give
 * `boundaries` or `numBuckets`.
 * @example
 * ```ts
 * const bucketing: LengthBucketing<number[]> = { length: (row) => row.length, numBuckets: 4 };
 * ```
 */
export interface LengthBucketing<T> {
  /** The length of an example. */
  readonly length: (example: T) => number;
  /** Ascending length limits of the buckets. */
  readonly boundaries?: readonly number[];
  /** Number of equally filled buckets. */
  readonly numBuckets?: number;
}

/**
 * Options of {@link exampleBatchSource}.
 * @example
 * ```ts
 * const options: ExampleBatchSourceOptions<number[], CausalLMBatch> = { batchSize: 8, seed: 0, collate: (rows) => collateCausalLM(rows, { padId: 0 }) };
 * ```
 */
export interface ExampleBatchSourceOptions<T, Batch> {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Seed of the per-epoch order (and of {@link BatchContext.seed}). */
  readonly seed: number;
  /** Turns a list of examples into a batch (a collator). */
  readonly collate: (examples: T[], context: BatchContext) => Batch;
  /** Reshuffle every epoch (default true); false keeps the dataset order. */
  readonly shuffle?: boolean;
  /** Batch examples of similar length together (see `bucketByLength`). */
  readonly bucketBy?: LengthBucketing<T>;
  /** Drop the last, smaller batch (of each bucket) instead of yielding it. Default false. */
  readonly dropRemainder?: boolean;
}

/**
 * The position of an {@link exampleBatchSource}: the epoch and the next batch's index in it.
 * @example
 * ```ts
 * const state: ExampleBatchSourceState = { epoch: 2, batch: 17 };
 * ```
 */
export interface ExampleBatchSourceState {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Index of the next batch within the epoch. */
  readonly batch: number;
}

/**
 * A resumable batch source with `getState`/`setState` typed, and the size of its current epoch.
 * @example
 * ```ts
 * declare const blocks: TokenBlocks<Uint16Array>, options: ExampleBatchSourceOptions<Uint16Array, CausalLMBatch>;
 * const source: ExampleBatchSource<CausalLMBatch> = exampleBatchSource(blocks, options);
 * ```
 */
export interface ExampleBatchSource<Batch> extends BatchSource<Batch> {
  /** The next batch of the current epoch (synchronously), or null when the epoch is over. */
  next(): Batch | null;
  /** Batches of the current epoch (all of them, including those already read). */
  batchesInEpoch(): number;
  /** Examples the current epoch leaves out (`dropRemainder`). */
  droppedInEpoch(): number;
  /** The current position. */
  getState(): ExampleBatchSourceState;
  /** Restores a position from `getState` (e.g. from a checkpoint). */
  setState(state: unknown): void;
}

/** A well-mixed 32-bit seed from a seed and two counters. */
function mixSeed(seed: number, epoch: number, batch: number): number {
  let x = (seed ^ Math.imul(epoch + 1, 0x9e3779b1) ^ Math.imul(batch + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) | 0;
}

/**
 * A resumable {@link BatchSource} over an in-memory or indexed dataset (e.g. `tokenBlocks` of a
 * token cache): each epoch is a permutation drawn from `(seed, epoch)` (optionally bucketed by
 * length), cut into batches of `batchSize` and collated. Its state is `{ epoch, batch }`, so
 * restoring a saved state gives exactly the batches an uninterrupted run would have produced.
 * @param dataset - the examples
 * @throws RangeArgumentError on bad options or an empty dataset
 * @example
 * ```ts
 * const cache = await readTokenCache('train.tokens');
 * const source = exampleBatchSource(tokenBlocks(cache.tokens, { blockSize: 129, stride: 128 }),
 *   { batchSize: 8, seed: 0, collate: (rows) => collateCausalLM(rows, { padId: 0 }) });
 * ```
 */
export function exampleBatchSource<T, Batch>(dataset: IndexedDataset<T>, options: ExampleBatchSourceOptions<T, Batch>): ExampleBatchSource<Batch> {
  const { batchSize, seed, collate, shuffle = true, bucketBy, dropRemainder = false } = options;
  assert(Number.isInteger(batchSize) && batchSize > 0, RangeArgumentError, () => `batchSize (${batchSize}) must be a positive integer`);
  assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
  assert(dataset.length > 0, RangeArgumentError, () => 'the dataset is empty');
  const lengths = bucketBy ? Array.from({ length: dataset.length }, (_, i) => bucketBy.length(datasetItem(dataset, i))) : undefined;
  let epoch = 0;
  let next = 0;
  let plan: { batches: number[][]; dropped: number } | undefined;

  const planEpoch = (): { batches: number[][]; dropped: number } => {
    const epochSeed = mixSeed(seed, epoch, -1);
    if (lengths && bucketBy) {
      return bucketByLength(lengths, { batchSize, boundaries: bucketBy.boundaries, numBuckets: bucketBy.numBuckets, dropRemainder,
        ...(shuffle ? { seed: epochSeed } : {}) });
    }
    const order = Array.from({ length: dataset.length }, (_, i) => i);
    if (shuffle) new Rng(epochSeed).shuffle(order);
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
    const short = batches.at(-1)!.length < batchSize && dropRemainder;
    return { batches: short ? batches.slice(0, -1) : batches, dropped: short ? batches.at(-1)!.length : 0 };
  };
  const current = (): { batches: number[][]; dropped: number } => (plan ??= planEpoch());

  return {
    startEpoch(value: number) {
      assert(Number.isInteger(value) && value >= 0, RangeArgumentError, () => `epoch (${value}) must be a non-negative integer`);
      if (value !== epoch) plan = undefined;
      epoch = value;
      next = 0;
    },
    next() {
      const { batches } = current();
      if (next >= batches.length) return null;
      const batch = next++;
      return collate(batches[batch]!.map((i) => datasetItem(dataset, i)), { epoch, batch, seed: mixSeed(seed, epoch, batch) });
    },
    batchesInEpoch: () => current().batches.length,
    droppedInEpoch: () => current().dropped,
    getState: () => ({ epoch, batch: next }),
    setState(state: unknown) {
      const { epoch: e, batch: b } = (state ?? {}) as Partial<ExampleBatchSourceState>;
      assert(Number.isInteger(e) && e! >= 0 && Number.isInteger(b) && b! >= 0, RangeArgumentError,
        () => `batch source state must be { epoch, batch } with non-negative integers, got ${describeJSON(state)}`);
      if (e !== epoch) plan = undefined;
      epoch = e!;
      next = b!;
    },
  };
}
