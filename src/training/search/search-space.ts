import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';

/** A value a {@link choice} dimension may take: kept primitive so configurations serialise to JSON, CSV and worker messages. */
export type ChoiceValue = string | number | boolean;

/** A dimension drawing one of a fixed list of values. */
export interface ChoiceDimension<T extends ChoiceValue = ChoiceValue> {
  /** Discriminant. */
  readonly kind: 'choice';
  /** The candidates, in the order grid search visits them. */
  readonly values: readonly T[];
}

/** A real dimension drawn uniformly from `[low, high)`. */
export interface UniformDimension {
  /** Discriminant. */
  readonly kind: 'uniform';
  /** Lower bound (inclusive). */
  readonly low: number;
  /** Upper bound (exclusive when sampled at random; the last grid point). */
  readonly high: number;
}

/** A positive real dimension whose logarithm is drawn uniformly from `[log low, log high)`. */
export interface LogUniformDimension {
  /** Discriminant. */
  readonly kind: 'logUniform';
  /** Lower bound (inclusive), > 0. */
  readonly low: number;
  /** Upper bound (exclusive when sampled at random; the last grid point). */
  readonly high: number;
}

/** An integer dimension drawn uniformly from `low..high`, both included. */
export interface IntRangeDimension {
  /** Discriminant. */
  readonly kind: 'int';
  /** Smallest value. */
  readonly low: number;
  /** Largest value. */
  readonly high: number;
}

/** Any dimension of a {@link SearchSpace}. */
export type Dimension = ChoiceDimension | UniformDimension | LogUniformDimension | IntRangeDimension;

/** Named dimensions; a configuration has one value per name (see {@link SearchConfig}). */
export type SearchSpace = Readonly<Record<string, Dimension>>;

/**
 * The configuration type a space produces: the union of the candidates for a choice, `number` for
 * the others.
 *
 * @example
 * ```ts
 * const space = { learningRate: logUniform(1e-4, 1e-2), hiddenSize: choice([64, 128]) };
 * type Config = SearchConfig<typeof space>; // { readonly learningRate: number; readonly hiddenSize: 64 | 128 }
 * ```
 */
export type SearchConfig<S extends SearchSpace> = {
  readonly [K in keyof S]: S[K] extends ChoiceDimension<infer T> ? T : number;
};

/**
 * A dimension taking one of `values` (each equally likely in random search; all of them, in order,
 * in grid search).
 *
 * @param values - at least one primitive value
 * @throws RangeArgumentError when `values` is empty
 * @example
 * ```ts
 * const space = { hiddenSize: choice([64, 128, 256]), activation: choice(['gelu', 'relu']) };
 * ```
 */
export function choice<const T extends ChoiceValue>(values: readonly T[]): ChoiceDimension<T> {
  assert(values.length > 0, RangeArgumentError, () => 'choice needs at least one value, got []');
  return Object.freeze({ kind: 'choice', values: Object.freeze([...values]) });
}

/**
 * A real dimension drawn uniformly from `[low, high)`.
 *
 * @param low - lower bound, finite
 * @param high - upper bound, finite and > `low`
 * @throws RangeArgumentError naming the bounds when they are not finite or not ordered
 * @example
 * ```ts
 * const space = { dropout: uniform(0, 0.2) };
 * ```
 */
export function uniform(low: number, high: number): UniformDimension {
  checkBounds('uniform', low, high);
  return Object.freeze({ kind: 'uniform', low, high });
}

/**
 * A positive real dimension drawn log-uniformly: `exp(u)` with `u` uniform in `[log low, log high)`,
 * so each decade is equally likely (the usual prior for learning rates and weight decay).
 *
 * @param low - lower bound, > 0
 * @param high - upper bound, finite and > `low`
 * @throws RangeArgumentError naming the bounds when `low <= 0`, they are not finite or not ordered
 * @example
 * ```ts
 * const space = { learningRate: logUniform(1e-4, 1e-2) };
 * ```
 */
export function logUniform(low: number, high: number): LogUniformDimension {
  checkBounds('logUniform', low, high);
  assert(low > 0, RangeArgumentError, () => `logUniform low (${low}) must be > 0`);
  return Object.freeze({ kind: 'logUniform', low, high });
}

/**
 * An integer dimension taking `low`, `low + 1`, ..., `high` (both bounds included, like Optuna's
 * `suggest_int`).
 *
 * @param low - smallest value, an integer
 * @param high - largest value, an integer >= `low`
 * @throws RangeArgumentError naming the bounds when they are not integers or `high < low`
 * @example
 * ```ts
 * const space = { numLayers: intRange(1, 4) }; // 1, 2, 3 or 4
 * ```
 */
export function intRange(low: number, high: number): IntRangeDimension {
  assert(Number.isSafeInteger(low) && Number.isSafeInteger(high) && high >= low, RangeArgumentError,
    () => `intRange bounds (${low}, ${high}) must be integers with low <= high`);
  return Object.freeze({ kind: 'int', low, high });
}

function checkBounds(name: string, low: number, high: number): void {
  assert(Number.isFinite(low) && Number.isFinite(high) && high > low, RangeArgumentError,
    () => `${name} bounds (${low}, ${high}) must be finite with low < high`);
}

/**
 * Validates every dimension of a space (useful for spaces written as literals rather than built
 * with {@link choice}, {@link uniform}, {@link logUniform} and {@link intRange}).
 *
 * @throws ConfigError for an empty space or an unknown kind; RangeArgumentError naming the
 *   dimension and its bad bounds
 * @example
 * ```ts
 * checkSearchSpace({ dropout: { kind: 'uniform', low: 0.3, high: 0.1 } }); // throws: dimension "dropout": uniform bounds (0.3, 0.1) ...
 * ```
 */
export function checkSearchSpace(space: SearchSpace): void {
  const names = Object.keys(space);
  assert(names.length > 0, ConfigError, () => 'the search space has no dimension');
  for (const name of names) {
    const dimension = space[name] as Dimension;
    try {
      if (dimension.kind === 'choice') choice(dimension.values);
      else if (dimension.kind === 'uniform') uniform(dimension.low, dimension.high);
      else if (dimension.kind === 'logUniform') logUniform(dimension.low, dimension.high);
      else if (dimension.kind === 'int') intRange(dimension.low, dimension.high);
      else throw new ConfigError(`unknown kind ${JSON.stringify((dimension as { kind?: unknown }).kind)}`);
    } catch (error) {
      const ErrorType = error instanceof RangeArgumentError ? RangeArgumentError : ConfigError;
      throw new ErrorType(`dimension "${name}": ${(error as Error).message}`);
    }
  }
}
