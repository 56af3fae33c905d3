import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';

/**
 * Where a random collator draws from: a `seed` (a fresh generator per call: the same batch is
 * corrupted the same way every time) or an `rng` that continues across calls (a different
 * corruption every batch and epoch, still reproducible; save `rng.getState()` in checkpoints).
 * @example
 * ```ts
 * const random: CollatorRandomness = { rng: new Rng(0) };
 * ```
 */
export interface CollatorRandomness {
  /** Seed of a generator created for this call. */
  readonly seed?: number;
  /** A generator shared across calls; takes precedence over `seed`. */
  readonly rng?: Rng;
}

/**
 * The generator a collator call draws from: `rng` if given, else a new one seeded with `seed`.
 * @throws RangeArgumentError when neither is given
 * @example
 * ```ts
 * const rng = collatorRng({ seed: 7 });
 * ```
 */
export function collatorRng(options: CollatorRandomness): Rng {
  if (options.rng) return options.rng;
  assert(options.seed !== undefined, RangeArgumentError, () => 'a random collator needs a seed or an rng (explicit seeds everywhere randomness enters)');
  return new Rng(options.seed);
}
