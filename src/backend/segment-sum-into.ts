import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ShapeError } from '../utils/errors.js';

/** How an `UnsortedSegmentSum` lays out over flat arrays; see {@link segmentSumLayout}. */
export interface SegmentSumLayout {
  /** Shape of the result: `[numSegments, ...x.shape.slice(1)]`. */
  readonly outShape: number[];
  /** Length of `x.shape[0]`, the axis being reduced. */
  readonly rows: number;
  /** Product of `segmentIds.shape.slice(1)`: ids per row of `x`. */
  readonly idsPerRow: number;
  /** Product of `x.shape.slice(segmentIds.rank)`: values summed per id. */
  readonly blockSize: number;
}

/**
 * Checks the shapes of an `UnsortedSegmentSum` and derives its layout. `segmentIds` must be a
 * prefix of `x`'s shape; like tfjs's cpu kernel (and unlike TensorFlow), only the first axis is
 * reduced, so for `segmentIds` of rank r > 1 the result keeps axes 1..r-1 of `x`.
 *
 * @param xShape - shape of the values
 * @param idsShape - shape of the int32 segment ids
 * @param numSegments - number of output segments (a non-negative integer)
 * @example
 * ```ts
 * segmentSumLayout([6, 4], [6], 3); // { outShape: [3, 4], rows: 6, idsPerRow: 1, blockSize: 4 }
 * ```
 */
export function segmentSumLayout(
  xShape: readonly number[],
  idsShape: readonly number[],
  numSegments: number,
): SegmentSumLayout {
  assert(Number.isInteger(numSegments) && numSegments >= 0, ShapeError,
    () => `unsortedSegmentSum: numSegments (${numSegments}) must be a non-negative integer`);
  assert(idsShape.length >= 1 && idsShape.every((d, i) => d === xShape[i]), ShapeError,
    () => `unsortedSegmentSum: segmentIds shape [${idsShape}] must be a prefix of x shape [${xShape}]`);
  const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);
  return {
    outShape: [numSegments, ...xShape.slice(1)],
    rows: xShape[0] as number,
    idsPerRow: product(idsShape.slice(1)),
    blockSize: product(xShape.slice(idsShape.length)),
  };
}

/**
 * Adds every block of `x` into the block of `out` its segment id names: for row `i` and position
 * `j` of the ids, `out[ids[i, j], j, :] += x[i, j, :]`. Ids outside `[0, numSegments)` are skipped,
 * as tfjs's cpu kernel does. O(size(x)), where tfjs's cpu kernel is O(numSegments * size(x)) (the
 * gradient of a 50257-token embedding took 25 minutes).
 *
 * @param x - values, laid out as `[rows, idsPerRow, blockSize]`
 * @param ids - int32 segment ids, `[rows, idsPerRow]`
 * @param layout - from {@link segmentSumLayout}
 * @param out - `[numSegments, idsPerRow, blockSize]`, zero-filled by the caller
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * segmentSumInto(Float32Array.of(1, 2, 3), Int32Array.of(1, 0, 1), segmentSumLayout([3], [3], 2), out);
 * // out = [2, 4]
 * ```
 */
export function segmentSumInto(
  x: tf.TypedArray,
  ids: Int32Array,
  layout: SegmentSumLayout,
  out: Float32Array,
): void {
  const { rows, idsPerRow, blockSize } = layout;
  const numSegments = layout.outShape[0] as number;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < idsPerRow; j++) {
      const idIndex = i * idsPerRow + j;
      const segment = ids[idIndex] as number;
      if (segment < 0 || segment >= numSegments) continue;
      const from = idIndex * blockSize;
      const to = (segment * idsPerRow + j) * blockSize;
      for (let k = 0; k < blockSize; k++) out[to + k] = (out[to + k] as number) + (x[from + k] as number);
    }
  }
}
