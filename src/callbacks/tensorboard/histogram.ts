import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';

/**
 * The contents of a `tensorflow.HistogramProto`
 * (https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/summary.proto):
 * summary statistics and buckets, where bucket `i` spans `[bucketLimit[i - 1], bucketLimit[i])`
 * (the first starts at `min`) and holds `bucket[i]` values.
 * @example
 * ```ts
 * const { num, bucket }: Histogram = histogramOf([1, 2, 2, 3], 2); // num 4, bucket [1, 3]
 * ```
 */
export interface Histogram {
  /** The smallest value. */
  readonly min: number;
  /** The largest value. */
  readonly max: number;
  /** How many values. */
  readonly num: number;
  /** The values' sum. */
  readonly sum: number;
  /** The sum of the values' squares. */
  readonly sumSquares: number;
  /** Right edge of each bucket; the last is `max`. */
  readonly bucketLimit: Float64Array;
  /** Count of each bucket. */
  readonly bucket: Float64Array;
}

/**
 * Summarises values into `bucketCount` equal-width buckets between their minimum and maximum, the
 * layout TensorBoard's histograms and distributions dashboards read from a `HistogramProto`
 * (one bucket when all values are equal).
 *
 * @param values - finite numbers, at least one (e.g. a weight tensor's `await t.data()`)
 * @param bucketCount - how many buckets, a positive integer
 * @throws RangeArgumentError for no values, a non-finite value, or a bad bucket count
 * @example
 * ```ts
 * histogramOf(Float32Array.of(0, 0.5, 1), 2); // bucketLimit [0.5, 1], bucket [1, 2]
 * ```
 */
export function histogramOf(values: ArrayLike<number>, bucketCount: number): Histogram {
  assert(Number.isSafeInteger(bucketCount) && bucketCount > 0, RangeArgumentError,
    () => `bucketCount (${bucketCount}) must be a positive integer`);
  assert(values.length > 0, RangeArgumentError, () => 'a histogram needs at least one value, got none');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    assert(Number.isFinite(value), RangeArgumentError,
      () => `histogram values must be finite, got ${value} at index ${i}`);
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    sumSquares += value * value;
  }
  const buckets = min === max ? 1 : bucketCount;
  const width = (max - min) / buckets;
  // Right edges, the last exactly `max` whatever the rounding.
  const bucketLimit = Float64Array.from(
    { length: buckets },
    (_, i) => (i === buckets - 1 ? max : min + width * (i + 1)),
  );
  const bucket = new Float64Array(buckets);
  for (let i = 0; i < values.length; i++) {
    const index = width === 0 ? 0 : Math.min(buckets - 1, Math.floor((values[i]! - min) / width));
    bucket[index]! += 1;
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}
