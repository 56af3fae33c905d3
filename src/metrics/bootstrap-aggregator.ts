import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { Rng } from '../utils/rng.js';
import type { RougeScore } from './rouge.js';

/** Options of {@link BootstrapAggregator}. */
export interface BootstrapOptions {
  /** Width of the interval on the mean, in [0, 1]; 0.95 gives the 2.5th and 97.5th percentiles. Default 0.95, rouge-score's. */
  readonly confidenceInterval?: number;
  /** Number of bootstrap resamples. Default 1000, rouge-score's. */
  readonly nSamples?: number;
  /** Seed of the resampling; each `aggregate()` call restarts from it, so results are reproducible. Default 0. */
  readonly seed?: number;
}

/** Confidence interval of a score's mean: `mid` is the median of the bootstrap means. */
export interface AggregateScore<S> {
  /** Lower percentile, measure by measure. */
  readonly low: S;
  /** 50th percentile, measure by measure. */
  readonly mid: S;
  /** Upper percentile, measure by measure. */
  readonly high: S;
}

/** A score: an object of numeric measures, such as {@link RougeScore}. */
export type NumericScore<S> = { readonly [K in keyof S]: number };

/**
 * numpy's default ('linear') percentile of sorted values, `q` in [0, 1], with numpy's two-sided
 * interpolation (from the lower value below the midpoint, from the upper value above it).
 */
function percentile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const a = sorted[below] as number;
  const b = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  const t = position - below;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * Collects per-example scores and reports a bootstrap confidence interval on their mean, as
 * rouge-score's `scoring.BootstrapAggregator` (and the ROUGE-1.5.5 perl script) do: `nSamples`
 * times, draw as many examples as were added, with replacement, and take the mean of each measure;
 * `low`, `mid` and `high` are the (1 - ci)/2, 50th and (1 + ci)/2 percentiles of those means,
 * each measure on its own. Resampling draws from a seeded {@link Rng} instead of numpy's global
 * generator, so intervals agree with rouge-score's in distribution, not digit for digit.
 *
 * Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap. Chapman & Hall.
 *
 * @typeParam S - the score type, an object of numeric measures ({@link RougeScore} by default)
 * @example
 * ```ts
 * const agg = new BootstrapAggregator({ seed: 1 });
 * agg.addScores(rouge('one two three', 'one two', { types: ['rouge1'] }));
 * agg.addScores(rouge('one two five six', 'seven eight', { types: ['rouge1'] }));
 * agg.aggregate().rouge1?.mid.fmeasure; // 0.4
 * ```
 */
export class BootstrapAggregator<S extends NumericScore<S> = RougeScore> {
  private readonly confidenceInterval: number;
  private readonly nSamples: number;
  private readonly seed: number;
  private readonly scores = new Map<string, S[]>();

  /** @param options - confidence interval, number of resamples, seed */
  constructor(options: BootstrapOptions = {}) {
    const { confidenceInterval = 0.95, nSamples = 1000, seed = 0 } = options;
    assert(typeof confidenceInterval === 'number' && confidenceInterval >= 0 && confidenceInterval <= 1,
      RangeArgumentError, () => `confidenceInterval (${confidenceInterval}) must be in [0, 1]`);
    assert(Number.isInteger(nSamples) && nSamples > 0, RangeArgumentError,
      () => `nSamples (${nSamples}) must be a positive integer`);
    assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
    this.confidenceInterval = confidenceInterval;
    this.nSamples = nSamples;
    this.seed = seed;
  }

  /**
   * Adds one example's scores, keyed by score type (the output of `rouge()`).
   *
   * @param scores - score type -> score; every score of a type must have the same measures
   * @throws ConfigError when a measure is not a finite number or the measures change
   */
  addScores(scores: Readonly<Record<string, S>>): void {
    for (const [type, score] of Object.entries(scores)) {
      const measures = Object.keys(score);
      const previous = this.scores.get(type);
      const expected = previous === undefined ? measures : Object.keys(previous[0] as S);
      assert(measures.length > 0 && measures.join() === expected.join(), ConfigError,
        () => `scores of "${type}" must all have the measures [${expected.join(', ')}], got [${measures.join(', ')}]`);
      for (const [measure, value] of Object.entries(score)) {
        assert(typeof value === 'number' && Number.isFinite(value), ConfigError,
          () => `${type}.${measure} must be a finite number, got ${String(value)}`);
      }
      if (previous === undefined) this.scores.set(type, [score]);
      else previous.push(score);
    }
  }

  /**
   * The confidence interval of each score type's mean, types in the order first added; an
   * aggregator with no scores gives `{}`.
   */
  aggregate(): Record<string, AggregateScore<S>> {
    const rng = new Rng(this.seed);
    const delta = (1 - this.confidenceInterval) / 2;
    const result: Record<string, AggregateScore<S>> = {};
    for (const [type, list] of this.scores) {
      const measures = Object.keys(list[0] as S) as (keyof S & string)[];
      const means = this.resampleMeans(list, measures, rng);
      const at = (q: number): S =>
        Object.fromEntries(measures.map((m, k) => [m, percentile(means[k] as Float64Array, q)])) as S;
      result[type] = { low: at(delta), mid: at(0.5), high: at(1 - delta) };
    }
    return result;
  }

  /** For each measure, the sorted means of `nSamples` resamples with replacement. */
  private resampleMeans(list: readonly S[], measures: readonly (keyof S & string)[], rng: Rng): Float64Array[] {
    const n = list.length;
    const columns = measures.map((m) => Float64Array.from(list, (score) => score[m]));
    const means = measures.map(() => new Float64Array(this.nSamples));
    for (let s = 0; s < this.nSamples; s++) {
      const sums = new Float64Array(measures.length);
      for (let r = 0; r < n; r++) {
        const row = rng.nextInt(n);
        for (let k = 0; k < measures.length; k++) sums[k] = (sums[k] as number) + ((columns[k] as Float64Array)[row] as number);
      }
      for (let k = 0; k < measures.length; k++) (means[k] as Float64Array)[s] = (sums[k] as number) / n;
    }
    for (const column of means) column.sort();
    return means;
  }
}
