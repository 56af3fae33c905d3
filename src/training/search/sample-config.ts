import type { Rng } from '../../utils/rng.js';
import type { ChoiceValue, Dimension, SearchConfig, SearchSpace } from './search-space.js';

/**
 * Draws one value of a dimension: a uniformly chosen candidate, a uniform real in `[low, high)`,
 * `exp` of a uniform real in `[log low, log high)`, or a uniform integer in `low..high`.
 *
 * @param dimension - what to draw from
 * @param rng - the only source of randomness
 * @example
 * ```ts
 * sampleDimension(logUniform(1e-4, 1e-2), new Rng(0)); // a learning rate between 1e-4 and 1e-2
 * ```
 */
export function sampleDimension(dimension: Dimension, rng: Rng): ChoiceValue {
  switch (dimension.kind) {
    case 'choice': return dimension.values[rng.nextInt(dimension.values.length)] as ChoiceValue;
    case 'uniform': return dimension.low + rng.nextFloat() * (dimension.high - dimension.low);
    case 'logUniform': {
      const low = Math.log(dimension.low);
      return Math.exp(low + rng.nextFloat() * (Math.log(dimension.high) - low));
    }
    case 'int': return dimension.low + rng.nextInt(dimension.high - dimension.low + 1);
  }
}

/**
 * Draws a configuration: one value per dimension, in the space's key order, all from `rng`, so
 * equal seeds give equal configurations.
 *
 * @param space - the dimensions
 * @param rng - the only source of randomness
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const config = sampleConfig({ learningRate: logUniform(1e-4, 1e-2), numLayers: intRange(1, 4) }, rng);
 * config.numLayers; // 1, 2, 3 or 4
 * ```
 */
export function sampleConfig<S extends SearchSpace>(space: S, rng: Rng): SearchConfig<S> {
  const config: Record<string, ChoiceValue> = {};
  for (const [name, dimension] of Object.entries(space)) config[name] = sampleDimension(dimension, rng);
  return Object.freeze(config) as SearchConfig<S>;
}
