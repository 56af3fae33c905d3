import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { Rng } from '../../utils/rng.js';
import { assignSplit } from './assign-split.js';
import { resolveSplitRatios, SPLIT_NAMES, type SplitName, type SplitRatios } from './split-ratios.js';

/**
 * Options of {@link splitDataset}.
 * @example
 * ```ts
 * const options: SplitDatasetOptions = { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, by: 'seed', seed: 42 };
 * ```
 */
export interface SplitDatasetOptions {
  /** Share of each split; see {@link resolveSplitRatios}. */
  readonly ratios: Partial<SplitRatios>;
  /**
   * `'hash'` (the default): each document by its content hash ({@link assignSplit}), stable when
   * documents are added or reordered, sizes up to binomial noise. `'seed'`: a seeded shuffle cut at
   * exact sizes (`round(n x cumulative ratio)`), stable only for the same documents in the same order.
   */
  readonly by?: 'hash' | 'seed';
  /** The seed of the hash or the shuffle (default 0). */
  readonly seed?: number;
}

/**
 * Splits an in-memory list of documents into train, validation and test, deterministically. Each
 * split keeps the documents in their input order. For streams use {@link takeSplit}.
 * @param documents - the documents
 * @param options - ratios, method and seed
 * @example
 * ```ts
 * declare const poems: string[];
 * const { train, validation, test } = splitDataset(poems, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, by: 'seed', seed: 1 });
 * ```
 */
export function splitDataset(documents: readonly string[], options: SplitDatasetOptions): Record<SplitName, string[]> {
  assert(Array.isArray(documents), ConfigError, () => `documents must be an array of strings, got ${describeJSON(documents)}`);
  const ratios = resolveSplitRatios(options.ratios);
  const by = options.by ?? 'hash';
  const seed = options.seed ?? 0;
  assert(by === 'hash' || by === 'seed', ConfigError, () => `by (${describeJSON(by)}) must be 'hash' or 'seed'`);
  const out: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  if (by === 'hash') {
    for (const doc of documents) out[assignSplit(doc, { ratios, seed })].push(doc);
    return out;
  }
  const n = documents.length;
  const order = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const assigned = new Array<SplitName>(n);
  let start = 0;
  let cumulative = 0;
  for (const name of SPLIT_NAMES) {
    cumulative += ratios[name];
    const end = name === 'test' ? n : Math.round(n * cumulative);
    for (let k = start; k < end; k++) assigned[order[k]!] = name;
    start = end;
  }
  documents.forEach((doc, i) => out[assigned[i]!].push(doc));
  return out;
}
