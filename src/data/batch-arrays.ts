import { assert } from '../utils/assert.js';
import { ShapeError } from '../utils/errors.js';

/**
 * Checks that a batch's row and column counts are positive integers.
 * @param rows - `batchSize`
 * @param columns - named column counts, e.g. `{ seqLength: 16 }`
 * @throws ShapeError naming the bad count
 * @example
 * ```ts
 * checkBatchShape(2, { seqLength: 0 }); // ShapeError: seqLength (0) must be a positive integer
 * ```
 */
export function checkBatchShape(rows: number, columns: Record<string, number>): void {
  for (const [name, value] of Object.entries({ batchSize: rows, ...columns })) {
    assert(Number.isInteger(value) && value > 0, ShapeError, () => `${name} (${value}) must be a positive integer`);
  }
}

/**
 * Checks that one of a batch's flat arrays holds `expected` entries (absent arrays pass).
 * @param name - the field's name, used in the message
 * @param array - the field's values, or undefined when the field is optional and absent
 * @param expected - the entry count its shape implies
 * @param shape - how that count is derived, e.g. `batchSize × seqLength`
 * @throws ShapeError naming the field and both counts
 * @example
 * ```ts
 * checkBatchArray('labels', new Int32Array(3), 4, 'batchSize × seqLength'); // ShapeError
 * ```
 */
export function checkBatchArray(name: string, array: ArrayLike<number> | undefined, expected: number, shape: string): void {
  assert(array === undefined || array.length === expected, ShapeError,
    () => `${name} has ${array?.length} entries, expected ${shape} = ${expected}`);
}
