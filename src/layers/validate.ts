import { ConfigError, ContextLengthError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

/**
 * Checks a size argument of a layer constructor (features, heads, positions).
 *
 * @param name - the argument's name, for the message
 * @param value - the value to check
 * @throws ConfigError unless `value` is a positive integer
 * @example
 * ```ts
 * assertPositiveInteger('dim', 64);
 * ```
 */
export function assertPositiveInteger(name: string, value: number): void {
  assert(Number.isInteger(value) && value > 0, ConfigError, () => `${name} (${value}) must be a positive integer`);
}

/**
 * Checks that positions `offset .. offset + length - 1` exist in a table of `maxPositions` rows.
 *
 * @param length - number of positions requested
 * @param offset - first position
 * @param maxPositions - size of the position table (the context window)
 * @throws ContextLengthError naming all three values otherwise
 * @example
 * ```ts
 * assertPositionsInRange(10, 1014, 1024); // ok: positions 1014..1023
 * ```
 */
export function assertPositionsInRange(length: number, offset: number, maxPositions: number): void {
  assert(Number.isInteger(length) && length >= 0 && Number.isInteger(offset) && offset >= 0, ContextLengthError,
    () => `length (${length}) and offset (${offset}) must be non-negative integers`);
  assert(offset + length <= maxPositions, ContextLengthError,
    () => `positions ${offset}..${offset + length - 1} (offset ${offset} + length ${length}) `
      + `exceed maxPositions (${maxPositions})`);
}
