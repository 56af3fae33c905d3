import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';

/**
 * The three splits of a dataset.
 * @example
 * ```ts
 * const split: SplitName = 'validation';
 * ```
 */
export type SplitName = 'train' | 'validation' | 'test';

/**
 * The share of documents each split receives; they sum to 1.
 * @example
 * ```ts
 * const ratios: SplitRatios = { train: 0.8, validation: 0.1, test: 0.1 };
 * ```
 */
export interface SplitRatios {
  /** Share of the training split. */
  readonly train: number;
  /** Share of the validation split. */
  readonly validation: number;
  /** Share of the test split. */
  readonly test: number;
}

/**
 * The splits in the order they are laid out on [0, 1) by {@link splitAt}.
 * @example
 * ```ts
 * declare const splits: Record<SplitName, string[]>;
 * const sizes: Partial<Record<SplitName, number>> = {};
 * for (const name of SPLIT_NAMES) sizes[name] = splits[name].length;
 * ```
 */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

/**
 * Validates and freezes split ratios: a missing split gets 0, each share must be a finite number
 * in [0, 1], and the shares must sum to 1 (within 1e-9). Unknown keys are a {@link ConfigError};
 * bad numbers a {@link RangeArgumentError}.
 * @param ratios - some of train, validation and test
 * @example
 * ```ts
 * resolveSplitRatios({ train: 0.9, validation: 0.1 }); // { train: 0.9, validation: 0.1, test: 0 }
 * ```
 */
export function resolveSplitRatios(ratios: Partial<SplitRatios>): SplitRatios {
  assert(typeof ratios === 'object' && ratios !== null, ConfigError, () => `ratios (${describeJSON(ratios)}) must be an object such as { train: 0.8, validation: 0.1, test: 0.1 }`);
  const unknown = Object.keys(ratios).filter((k) => !(SPLIT_NAMES as readonly string[]).includes(k));
  assert(unknown.length === 0, ConfigError, () => `unknown split ${unknown.map((k) => JSON.stringify(k)).join(', ')} in ratios (expected train, validation, test)`);
  const resolved = { train: ratios.train ?? 0, validation: ratios.validation ?? 0, test: ratios.test ?? 0 };
  for (const name of SPLIT_NAMES) {
    const value = resolved[name];
    assert(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1, RangeArgumentError,
      () => `ratios.${name} (${describeJSON(value)}) must be a number in [0, 1]`);
  }
  const sum = resolved.train + resolved.validation + resolved.test;
  assert(Math.abs(sum - 1) <= 1e-9, RangeArgumentError,
    () => `ratios must sum to 1, got ${sum} (train ${resolved.train} + validation ${resolved.validation} + test ${resolved.test})`);
  return Object.freeze(resolved);
}
