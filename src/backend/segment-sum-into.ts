import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ShapeError } from '../utils/errors.js';

/** How an `UnsortedSegmentSum` lays out over flat arrays; see {@link segmentSumLayout}. */
export interface SegmentSumLayout {
  /** Shape of the result: `[numSegments, ...x.shape.slice(1)]`. */
  readonly outShape: number[];
  /** `x.shape[0]`: rows of `x`, one segment id each. */
  readonly rows: number;
  /** Product of `x.shape.slice(1)`: values per row. */
  readonly rowSize: number;
}

/**
 * Checks the shapes of an `UnsortedSegmentSum` and derives its layout. As documented by tfjs,
 * `segmentIds` is 1-D with one id per row of `x` (tfjs's cpu kernel fails on other ranks too).
 *
 * @param xShape - shape of the values
 * @param idsShape - shape of the int32 segment ids: `[x.shape[0]]`
 * @param numSegments - number of output segments (a non-negative integer)
 * @example
 * ```ts
 * segmentSumLayout([6, 4], [6], 3); // { outShape: [3, 4], rows: 6, rowSize: 4 }
 * ```
 */
export function segmentSumLayout(
  xShape: readonly number[],
  idsShape: readonly number[],
  numSegments: number,
): SegmentSumLayout {
  assert(Number.isInteger(numSegments) && numSegments >= 0, ShapeError,
    () => `unsortedSegmentSum: numSegments (${numSegments}) must be a non-negative integer`);
  assert(xShape.length >= 1 && idsShape.length === 1 && idsShape[0] === xShape[0], ShapeError,
    () => `unsortedSegmentSum: segmentIds shape [${idsShape}] must be [x.shape[0]] for x shape [${xShape}]`);
  return {
    outShape: [numSegments, ...xShape.slice(1)],
    rows: xShape[0] as number,
    rowSize: xShape.slice(1).reduce((n, d) => n * d, 1),
  };
}

/**
 * Adds every row of `x` into the row of `out` its segment id names: `out[ids[i]] += x[i]`. Ids
 * outside `[0, numSegments)` are skipped, as tfjs's cpu kernel does. O(size(x)), where tfjs's cpu
 * kernel is O(numSegments · size(x)) (the gradient of a 50257-token embedding took 25 minutes).
 *
 * @param x - values, `[rows, rowSize]` flattened
 * @param ids - int32 segment ids, `[rows]`
 * @param layout - from {@link segmentSumLayout}
 * @param out - `[numSegments, rowSize]` flattened, zero-filled by the caller
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
  const { rows, rowSize } = layout;
  const numSegments = layout.outShape[0] as number;
  for (let i = 0; i < rows; i++) {
    const segment = ids[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] = (out[to + k] as number) + (x[from + k] as number);
  }
}
