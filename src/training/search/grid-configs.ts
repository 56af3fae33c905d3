import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import type { ChoiceValue, Dimension, SearchConfig, SearchSpace } from './search-space.js';

/**
 * The grid values of one dimension: every candidate of a choice, every integer of an int range,
 * and `points` evenly spaced values from `low` to `high` (both included) for a uniform dimension,
 * evenly spaced in log space (a geometric progression) for a log-uniform one. `points = 1` gives
 * the (geometric, for log-uniform) midpoint.
 *
 * @param dimension - the dimension
 * @param points - values for a continuous dimension; required for uniform and log-uniform
 * @throws ConfigError when a continuous dimension gets no `points`; RangeArgumentError when `points` is not a positive integer
 * @example
 * ```ts
 * gridValues(logUniform(1e-4, 1e-2), 3); // [1e-4, 1e-3, 1e-2] (up to rounding)
 * gridValues(intRange(1, 3));            // [1, 2, 3]
 * ```
 */
export function gridValues(dimension: Dimension, points?: number): readonly ChoiceValue[] {
  switch (dimension.kind) {
    case 'choice': return dimension.values;
    case 'int': return Array.from({ length: dimension.high - dimension.low + 1 }, (_, i) => dimension.low + i);
    case 'uniform': return spaced(dimension.low, dimension.high, checkPoints(dimension.kind, points));
    case 'logUniform':
      return spaced(Math.log(dimension.low), Math.log(dimension.high), checkPoints(dimension.kind, points)).map(Math.exp);
  }
}

/**
 * Every configuration of the grid over `space`: the Cartesian product of the dimensions'
 * {@link gridValues}, in the space's key order with the last key varying fastest (as nested loops
 * written in that order would visit them).
 *
 * @param space - the dimensions
 * @param gridPoints - values per continuous (uniform or log-uniform) dimension; required when the space has one
 * @throws ConfigError naming the continuous dimensions when `gridPoints` is missing
 * @example
 * ```ts
 * gridConfigs({ hiddenSize: choice([64, 128]), numLayers: intRange(1, 2) });
 * // [{ hiddenSize: 64, numLayers: 1 }, { hiddenSize: 64, numLayers: 2 }, { hiddenSize: 128, numLayers: 1 }, { hiddenSize: 128, numLayers: 2 }]
 * ```
 */
export function gridConfigs<S extends SearchSpace>(space: S, gridPoints?: number): Array<SearchConfig<S>> {
  const continuous = Object.entries(space).filter(([, d]) => d.kind === 'uniform' || d.kind === 'logUniform').map(([n]) => n);
  assert(gridPoints !== undefined || continuous.length === 0, ConfigError,
    () => `grid search needs gridPoints for the continuous dimension(s) ${continuous.join(', ')}`);
  let configs: Array<Record<string, ChoiceValue>> = [{}];
  for (const [name, dimension] of Object.entries(space)) {
    const values = gridValues(dimension, gridPoints);
    configs = configs.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return configs.map((c) => Object.freeze(c) as SearchConfig<S>);
}

function checkPoints(kind: string, points: number | undefined): number {
  assert(points !== undefined, ConfigError, () => `a ${kind} dimension needs a number of grid points`);
  assert(Number.isInteger(points) && points >= 1, RangeArgumentError, () => `gridPoints (${points}) must be a positive integer`);
  return points;
}

function spaced(low: number, high: number, points: number): number[] {
  if (points === 1) return [(low + high) / 2];
  return Array.from({ length: points }, (_, i) => (i === points - 1 ? high : low + (i * (high - low)) / (points - 1)));
}
