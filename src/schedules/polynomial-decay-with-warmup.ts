import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requireNonNegative } from './validate-options.js';
import { withLinearWarmupDecay } from './with-linear-warmup.js';

/** Options of {@link polynomialDecayWithWarmup}. */
export interface PolynomialDecayWithWarmupOptions {
  /** Rate at the end of warmup (the peak). */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr` (0 for none). */
  readonly warmupSteps: number;
  /** Update at which the rate reaches `lrEnd`; later updates stay there. */
  readonly totalSteps: number;
  /** Final rate, below `baseLr` (default 1e-7, Hugging Face's). */
  readonly lrEnd?: number;
  /** Exponent of the decay (default 1: linear). */
  readonly power?: number;
}

/**
 * Linear warmup then polynomial decay from `baseLr` to `lrEnd`: `lr(s) = baseLr · s / warmupSteps`
 * for `s < warmupSteps`, then `(baseLr − lrEnd) · (1 − (s − warmupSteps) / (totalSteps − warmupSteps))^power + lrEnd`,
 * and `lrEnd` after `totalSteps`. Hugging Face's `get_polynomial_decay_schedule_with_warmup`
 * (itself after fairseq and the original BERT code). For PyTorch's decay to 0 see {@link polynomialLR}.
 *
 * @example
 * ```ts
 * const lr = polynomialDecayWithWarmup({ baseLr: 1, warmupSteps: 0, totalSteps: 10, lrEnd: 0.1, power: 2 });
 * lr(5);  // 0.9 · 0.25 + 0.1 = 0.325
 * lr(20); // 0.1
 * ```
 */
export function polynomialDecayWithWarmup(options: PolynomialDecayWithWarmupOptions): LearningRateSchedule {
  const { baseLr, warmupSteps, totalSteps } = options;
  const lrEnd = options.lrEnd ?? 1e-7;
  const power = options.power ?? 1;
  requireInteger('totalSteps', totalSteps, warmupSteps + 1);
  requireNonNegative('lrEnd', lrEnd);
  assert(lrEnd < baseLr, RangeArgumentError, () => `lrEnd (${lrEnd}) must be smaller than baseLr (${baseLr})`);
  requireNonNegative('power', power);
  return withLinearWarmupDecay(baseLr, warmupSteps, totalSteps,
    (progress, step) => (step > totalSteps ? lrEnd : (baseLr - lrEnd) * (1 - progress) ** power + lrEnd));
}
