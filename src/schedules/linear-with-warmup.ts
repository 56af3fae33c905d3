import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { withLinearWarmupDecay } from './with-linear-warmup.js';

/** Options of {@link linearWithWarmup}. */
export interface LinearWithWarmupOptions {
  /** Rate at the end of warmup (the peak). */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr` (0 for none). */
  readonly warmupSteps: number;
  /** Update at which the rate reaches 0; later updates stay at 0. */
  readonly totalSteps: number;
}

/**
 * Linear warmup then linear decay to 0: `lr(s) = baseLr · s / warmupSteps` for `s < warmupSteps`,
 * then `baseLr · max(0, (totalSteps − s) / max(1, totalSteps − warmupSteps))`.
 * Hugging Face's `get_linear_schedule_with_warmup`.
 *
 * @example
 * ```ts
 * const lr = linearWithWarmup({ baseLr: 1, warmupSteps: 10, totalSteps: 110 });
 * lr(5);   // 0.5
 * lr(60);  // 0.5
 * lr(200); // 0
 * ```
 */
export function linearWithWarmup(options: LinearWithWarmupOptions): LearningRateSchedule {
  const { baseLr, warmupSteps, totalSteps } = options;
  // Hugging Face divides (totalSteps − step), not 1 − progress: they differ when totalSteps == warmupSteps.
  return withLinearWarmupDecay(baseLr, warmupSteps, totalSteps,
    (_, step) => baseLr * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps)));
}
