import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { CleaningStep } from './cleaning-step.js';
import { repetitionStats, type RepetitionStats } from './repetition-stats.js';

/**
 * The largest value each Gopher repetition measure may reach, in the shape of
 * {@link RepetitionStats}; a document above any is removed.
 * @example
 * ```ts
 * const thresholds: RepetitionThresholds = { ...GOPHER_REPETITION_THRESHOLDS, duplicateLineFraction: 0.5 };
 * ```
 */
export type RepetitionThresholds = RepetitionStats;

/**
 * The thresholds of Table A1 in the Gopher paper (Rae et al. 2021, https://arxiv.org/abs/2112.11446).
 * @example
 * ```ts
 * GOPHER_REPETITION_THRESHOLDS.topNgramCharFraction[2]; // 0.2
 * ```
 */
export const GOPHER_REPETITION_THRESHOLDS: RepetitionThresholds = Object.freeze({
  duplicateLineFraction: 0.3,
  duplicateParagraphFraction: 0.3,
  duplicateLineCharFraction: 0.2,
  duplicateParagraphCharFraction: 0.2,
  topNgramCharFraction: Object.freeze({ 2: 0.2, 3: 0.18, 4: 0.16 }),
  duplicateNgramCharFraction: Object.freeze({ 5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.1 }),
});

/**
 * Options of {@link filterRepetition}: thresholds to override (the others keep Gopher's values).
 * @example
 * ```ts
 * const options: FilterRepetitionOptions = { duplicateLineFraction: 0.5, topNgramCharFraction: { 2: 0.3 } };
 * ```
 */
export interface FilterRepetitionOptions {
  /** Overrides {@link RepetitionThresholds.duplicateLineFraction}. */
  readonly duplicateLineFraction?: number;
  /** Overrides {@link RepetitionThresholds.duplicateParagraphFraction}. */
  readonly duplicateParagraphFraction?: number;
  /** Overrides {@link RepetitionThresholds.duplicateLineCharFraction}. */
  readonly duplicateLineCharFraction?: number;
  /** Overrides {@link RepetitionThresholds.duplicateParagraphCharFraction}. */
  readonly duplicateParagraphCharFraction?: number;
  /** Overrides some of {@link RepetitionThresholds.topNgramCharFraction}. */
  readonly topNgramCharFraction?: Partial<Record<2 | 3 | 4, number>>;
  /** Overrides some of {@link RepetitionThresholds.duplicateNgramCharFraction}. */
  readonly duplicateNgramCharFraction?: Partial<Record<5 | 6 | 7 | 8 | 9 | 10, number>>;
}

const SCALAR_RULES = [
  ['duplicateLineFraction', 'duplicate-line-fraction'],
  ['duplicateParagraphFraction', 'duplicate-paragraph-fraction'],
  ['duplicateLineCharFraction', 'duplicate-line-char-fraction'],
  ['duplicateParagraphCharFraction', 'duplicate-paragraph-char-fraction'],
] as const;

/**
 * Removes repetitive documents by the Gopher rules ({@link repetitionStats}), with the paper's
 * thresholds unless overridden. The reason names the first rule broken: `duplicate-line-fraction`,
 * `duplicate-paragraph-fraction`, `duplicate-line-char-fraction`,
 * `duplicate-paragraph-char-fraction`, `top-<n>-gram-char-fraction` (n = 2..4) or
 * `duplicate-<n>-gram-char-fraction` (n = 5..10).
 * @param options - thresholds to override
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [filterRepetition()]);
 * ```
 */
export function filterRepetition(options: FilterRepetitionOptions = {}): CleaningStep {
  const t: RepetitionThresholds = {
    ...GOPHER_REPETITION_THRESHOLDS, ...options,
    topNgramCharFraction: { ...GOPHER_REPETITION_THRESHOLDS.topNgramCharFraction, ...options.topNgramCharFraction },
    duplicateNgramCharFraction: { ...GOPHER_REPETITION_THRESHOLDS.duplicateNgramCharFraction, ...options.duplicateNgramCharFraction },
  };
  const all: Array<[string, number | undefined]> = [
    ...SCALAR_RULES.map(([key]) => [key, t[key]] as [string, number]),
    ...Object.entries(t.topNgramCharFraction).map(([n, v]) => [`topNgramCharFraction[${n}]`, v] as [string, number]),
    ...Object.entries(t.duplicateNgramCharFraction).map(([n, v]) => [`duplicateNgramCharFraction[${n}]`, v] as [string, number]),
  ];
  for (const [key, value] of all) {
    assert(typeof value === 'number' && value >= 0 && value <= 1, RangeArgumentError, () => `${key} (${value}) must be a fraction in [0, 1]`);
  }
  return {
    name: 'filterRepetition',
    apply: (text) => {
      const stats: RepetitionStats = repetitionStats(text);
      for (const [key, reason] of SCALAR_RULES) if (stats[key] > t[key]) return { removed: reason };
      for (const n of [2, 3, 4] as const) {
        if (stats.topNgramCharFraction[n] > t.topNgramCharFraction[n]) return { removed: `top-${n}-gram-char-fraction` };
      }
      for (const n of [5, 6, 7, 8, 9, 10] as const) {
        if (stats.duplicateNgramCharFraction[n] > t.duplicateNgramCharFraction[n]) return { removed: `duplicate-${n}-gram-char-fraction` };
      }
      return text;
    },
  };
}
