import { WordforgeError } from './errors.js';

/** Constructor of a {@link WordforgeError} subclass. */
export type ErrorClass = new (message: string) => WordforgeError;

/**
 * Throws `new ErrorType(message())` unless `condition` holds. The message is built lazily so that
 * hot paths pay nothing for it.
 *
 * @param condition - what must be true
 * @param ErrorType - the typed error to throw
 * @param message - builds a message naming the offending values
 * @example
 * ```ts
 * declare const hiddenSize: number, numHeads: number;
 * assert(hiddenSize % numHeads === 0, ConfigError,
 *   () => `numHeads (${numHeads}) must divide hiddenSize (${hiddenSize})`);
 * ```
 */
export function assert(
  condition: unknown,
  ErrorType: ErrorClass,
  message: () => string,
): asserts condition {
  if (!condition) throw new ErrorType(message());
}
