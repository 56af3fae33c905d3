import { createHash } from 'node:crypto';
import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { normalizeForExactDedup } from '../dedup/exact-dedup.js';
import { resolveSplitRatios, SPLIT_NAMES, type SplitName, type SplitRatios } from './split-ratios.js';

/**
 * Options of {@link assignSplit} and {@link takeSplit}.
 * @example
 * ```ts
 * const options: AssignSplitOptions = { ratios: { train: 0.98, validation: 0.01, test: 0.01 }, seed: 7 };
 * ```
 */
export interface AssignSplitOptions {
  /** Share of each split; see {@link resolveSplitRatios}. */
  readonly ratios: Partial<SplitRatios>;
  /** Mixed into the hash (default 0): another seed gives another, equally balanced, assignment. */
  readonly seed?: number;
}

/**
 * A uniform number in [0, 1) from the SHA-1 of the seed and the normalised text (48 bits).
 * @param text - the document
 * @param seed - an integer
 * @example
 * ```ts
 * contentHashUnit('some document', 0); // always the same value for this text and seed
 * ```
 */
export function contentHashUnit(text: string, seed: number): number {
  assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
  const digest = createHash('sha1').update(`${seed}\u0000${normalizeForExactDedup(text)}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The split of the layout `[train | validation | test]` on [0, 1) that `unit` falls in.
 * @param unit - a number in [0, 1)
 * @param ratios - resolved ratios
 * @example
 * ```ts
 * splitAt(0.95, { train: 0.9, validation: 0.05, test: 0.05 }); // 'test'
 * ```
 */
export function splitAt(unit: number, ratios: SplitRatios): SplitName {
  let edge = 0;
  for (const name of SPLIT_NAMES) {
    edge += ratios[name];
    if (unit < edge) return name;
  }
  return [...SPLIT_NAMES].reverse().find((name) => ratios[name] > 0)!; // rounding left unit at the top edge
}

/**
 * The split of a document by content hash: a pure function of the normalised text (NFC,
 * whitespace collapsed, as {@link exactDedup} compares) and the seed, so a document lands in the
 * same split whatever order it comes in and whatever other documents exist, and copies of one
 * text never straddle train and test. Split sizes follow the ratios up to binomial noise.
 * @param text - the document
 * @param options - the ratios and the seed
 * @example
 * ```ts
 * assignSplit('some document', { ratios: { train: 0.8, validation: 0.1, test: 0.1 } }); // 'train', always
 * ```
 */
export function assignSplit(text: string, options: AssignSplitOptions): SplitName {
  return splitAt(contentHashUnit(text, options.seed ?? 0), resolveSplitRatios(options.ratios));
}
