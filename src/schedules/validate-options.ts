import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';

/**
 * Throws a {@link RangeArgumentError} unless `value` is a finite number above 0.
 *
 * @param name - the option's name, for the message
 * @param value - the option's value
 * @example
 * ```ts
 * requirePositive('baseLr', 0); // throws "baseLr (0) must be a positive number"
 * ```
 */
export function requirePositive(name: string, value: number): void {
  assert(Number.isFinite(value) && value > 0, RangeArgumentError, () => `${name} (${value}) must be a positive number`);
}

/**
 * Throws a {@link RangeArgumentError} unless `value` is a finite number of at least 0.
 *
 * @param name - the option's name, for the message
 * @param value - the option's value
 * @example
 * ```ts
 * requireNonNegative('etaMin', -1); // throws "etaMin (-1) must be a non-negative number"
 * ```
 */
export function requireNonNegative(name: string, value: number): void {
  assert(Number.isFinite(value) && value >= 0, RangeArgumentError,
    () => `${name} (${value}) must be a non-negative number`);
}

/**
 * Throws a {@link RangeArgumentError} unless `value` is an integer of at least `min`.
 *
 * @param name - the option's name, for the message
 * @param value - the option's value
 * @param min - the smallest value accepted
 * @example
 * ```ts
 * requireInteger('stepSize', 0, 1); // throws "stepSize (0) must be an integer >= 1"
 * ```
 */
export function requireInteger(name: string, value: number, min: number): void {
  assert(Number.isInteger(value) && value >= min, RangeArgumentError,
    () => `${name} (${value}) must be an integer >= ${min}`);
}

/**
 * Throws a {@link RangeArgumentError} unless `value` lies in [0, 1], or in (0, 1] when `excludeZero`.
 *
 * @param name - the option's name, for the message
 * @param value - the option's value
 * @param excludeZero - whether 0 is refused too (a factor that is later divided by)
 * @example
 * ```ts
 * requireFraction('pctStart', 1.5); // throws "pctStart (1.5) must be in [0, 1]"
 * ```
 */
export function requireFraction(name: string, value: number, excludeZero = false): void {
  const aboveLow = excludeZero ? value > 0 : value >= 0;
  assert(aboveLow && value <= 1, RangeArgumentError,
    () => `${name} (${value}) must be in ${excludeZero ? '(0, 1]' : '[0, 1]'}`);
}

/**
 * Throws a {@link ConfigError} unless `value` is one of `choices`.
 *
 * @param name - the option's name, for the message
 * @param value - the option's value
 * @param choices - the accepted values
 * @example
 * ```ts
 * requireOneOf('annealStrategy', 'exp', ['cos', 'linear']); // throws, listing 'cos' and 'linear'
 * ```
 */
export function requireOneOf(name: string, value: string, choices: readonly string[]): void {
  assert(choices.includes(value), ConfigError,
    () => `${name} ('${value}') must be one of ${choices.map((c) => `'${c}'`).join(', ')}`);
}
