import { assert } from '../../utils/assert.js';
import { ContextLengthError, RangeArgumentError } from '../../utils/errors.js';

/**
 * How a collator pads its rows: to the longest row (default), to a fixed length, and/or up to a
 * multiple (8 or 64 keep matrix shapes friendly to fast kernels and limit recompilations).
 * @example
 * ```ts
 * const padding: RowPadding = { padTo: 128, side: 'right' };
 * ```
 */
export interface RowPadding {
  /** Fixed row length; a longer row throws a ContextLengthError. Default: the longest row. */
  readonly padTo?: number;
  /** Round the row length up to a multiple of this. Default 1. */
  readonly padToMultipleOf?: number;
  /** Where padding goes: `'right'` (default, training) or `'left'` (batched generation). */
  readonly side?: 'left' | 'right';
}

/**
 * The row length a batch of rows pads to under `padding`.
 * @param lengths - the real length of each row
 * @param padding - the padding options
 * @param what - how rows are called in error messages (`example`, `source`...)
 * @throws RangeArgumentError on bad options, ContextLengthError when a row exceeds `padTo`
 * @example
 * ```ts
 * paddedLength([3, 5], { padToMultipleOf: 4 }, 'example'); // 8
 * ```
 */
export function paddedLength(lengths: readonly number[], padding: RowPadding, what: string): number {
  const { padTo, padToMultipleOf = 1 } = padding;
  assert(lengths.length > 0, RangeArgumentError, () => `cannot collate an empty list of ${what}s`);
  assert(padTo === undefined || (Number.isInteger(padTo) && padTo > 0), RangeArgumentError,
    () => `padTo (${padTo}) must be a positive integer`);
  assert(Number.isInteger(padToMultipleOf) && padToMultipleOf > 0, RangeArgumentError,
    () => `padToMultipleOf (${padToMultipleOf}) must be a positive integer`);
  const longest = Math.max(...lengths);
  if (padTo !== undefined) {
    const index = lengths.findIndex((n) => n > padTo);
    assert(index < 0, ContextLengthError, () => `${what} ${index} has ${lengths[index]} tokens, more than padTo (${padTo})`);
  }
  const length = Math.max(1, padTo ?? longest);
  return Math.ceil(length / padToMultipleOf) * padToMultipleOf;
}

/**
 * Writes rows of different lengths into one flat row-major `[rows × length]` array, filling the
 * rest of each row with `padValue` on `side`.
 * @param rows - the rows, none longer than `length`
 * @param length - the padded row length
 * @param padValue - the value of padding entries
 * @param side - where padding goes
 * @example
 * ```ts
 * padRows([[1, 2], [3]], 3, 0, 'right'); // Int32Array [1, 2, 0, 3, 0, 0]
 * ```
 */
export function padRows(rows: readonly ArrayLike<number>[], length: number, padValue: number, side: 'left' | 'right' = 'right'): Int32Array {
  const out = new Int32Array(rows.length * length).fill(padValue);
  rows.forEach((row, r) => {
    const start = r * length + (side === 'left' ? length - row.length : 0);
    for (let i = 0; i < row.length; i++) out[start + i] = row[i] as number;
  });
  return out;
}

/**
 * The attention mask of rows padded by {@link padRows}: 1 over each row's real tokens, 0 on padding.
 * @param lengths - the real length of each row
 * @param length - the padded row length
 * @param side - where padding goes
 * @example
 * ```ts
 * rowAttentionMask([2, 1], 3, 'right'); // Uint8Array [1, 1, 0, 1, 0, 0]
 * ```
 */
export function rowAttentionMask(lengths: readonly number[], length: number, side: 'left' | 'right' = 'right'): Uint8Array {
  const mask = new Uint8Array(lengths.length * length);
  lengths.forEach((n, r) => {
    const start = r * length + (side === 'left' ? length - n : 0);
    mask.fill(1, start, start + n);
  });
  return mask;
}
