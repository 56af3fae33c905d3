import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';

/**
 * Options of {@link bucketByLength}. Give `boundaries` or `numBuckets`.
 * @example
 * ```ts
 * const options: BucketByLengthOptions = { boundaries: [32, 64, 128], batchSize: 16, seed: 0 };
 * ```
 */
export interface BucketByLengthOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Ascending length limits: bucket k holds lengths in `[boundaries[k-1], boundaries[k])`, the last one the rest. */
  readonly boundaries?: readonly number[];
  /** Number of buckets of about equal size, boundaries at the length quantiles. */
  readonly numBuckets?: number;
  /** Shuffles examples within buckets and the order of the batches; the input order is kept without it. */
  readonly seed?: number;
  /** Drop each bucket's last, smaller batch (counted in `dropped`). Default false: it is kept. */
  readonly dropRemainder?: boolean;
}

/**
 * Batches of example indices from {@link bucketByLength}, and what was dropped.
 * @example
 * ```ts
 * declare const lengths: number[];
 * const { batches, dropped }: LengthBuckets = bucketByLength(lengths, { numBuckets: 4, batchSize: 8 });
 * ```
 */
export interface LengthBuckets {
  /** Each batch as indices into the examples; all from one bucket. */
  readonly batches: number[][];
  /** The length boundaries used. */
  readonly boundaries: readonly number[];
  /** Examples left out by `dropRemainder`. */
  readonly dropped: number;
}

/** Boundaries at the quantiles of the lengths, so buckets hold about equally many examples. */
function quantileBoundaries(lengths: readonly number[], numBuckets: number): number[] {
  const sorted = [...lengths].sort((a, b) => a - b);
  const boundaries: number[] = [];
  for (let k = 1; k < numBuckets; k++) {
    const limit = sorted[Math.floor((k * sorted.length) / numBuckets)]!;
    if (limit > (boundaries.at(-1) ?? -Infinity)) boundaries.push(limit);
  }
  return boundaries;
}

/**
 * Groups examples of similar length into batches (as `tf.data`'s `bucket_by_sequence_length`), so
 * padding each batch to its longest row wastes little. Every example appears in exactly one batch
 * (or is counted in `dropped`).
 * @param lengths - the length of each example
 * @throws RangeArgumentError on bad options
 * @example
 * ```ts
 * declare const examples: number[][];
 * const { batches } = bucketByLength(examples.map((e) => e.length), { boundaries: [64, 128], batchSize: 16, seed: 0 });
 * const collated = batches.map((indices) => collateCausalLM(indices.map((i) => examples[i]!), { padId: 0 }));
 * ```
 */
export function bucketByLength(lengths: readonly number[], options: BucketByLengthOptions): LengthBuckets {
  const { batchSize, numBuckets, seed, dropRemainder = false } = options;
  assert(Number.isInteger(batchSize) && batchSize > 0, RangeArgumentError, () => `batchSize (${batchSize}) must be a positive integer`);
  assert((options.boundaries === undefined) !== (numBuckets === undefined), RangeArgumentError,
    () => 'give exactly one of boundaries and numBuckets');
  assert(numBuckets === undefined || (Number.isInteger(numBuckets) && numBuckets > 0), RangeArgumentError,
    () => `numBuckets (${numBuckets}) must be a positive integer`);
  const boundaries = options.boundaries ?? quantileBoundaries(lengths, numBuckets!);
  assert(boundaries.every((b, k) => k === 0 || b > boundaries[k - 1]!), RangeArgumentError,
    () => `boundaries (${JSON.stringify(boundaries)}) must be strictly ascending`);
  const rng = seed === undefined ? undefined : new Rng(seed);
  const buckets: number[][] = Array.from({ length: boundaries.length + 1 }, () => []);
  lengths.forEach((length, index) => {
    let k = 0;
    while (k < boundaries.length && length >= boundaries[k]!) k++;
    buckets[k]!.push(index);
  });
  const batches: number[][] = [];
  let dropped = 0;
  for (const bucket of buckets) {
    rng?.shuffle(bucket);
    for (let start = 0; start < bucket.length; start += batchSize) {
      const batch = bucket.slice(start, start + batchSize);
      if (batch.length < batchSize && dropRemainder) dropped += batch.length;
      else batches.push(batch);
    }
  }
  rng?.shuffle(batches);
  return { batches, boundaries, dropped };
}
