import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { withLinearWarmup } from './with-linear-warmup.js';

/** Options of {@link constantWithWarmup}. */
export interface ConstantWithWarmupOptions {
  /** Rate after warmup. */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr` (0 for none). */
  readonly warmupSteps: number;
}

/**
 * Linear warmup then a constant rate: `lr(s) = baseLr · s / warmupSteps` for `s < warmupSteps`,
 * then `baseLr`. Hugging Face's `get_constant_schedule_with_warmup`.
 *
 * @example
 * ```ts
 * const lr = constantWithWarmup({ baseLr: 1e-3, warmupSteps: 10 });
 * lr(5);  // 5e-4
 * lr(99); // 1e-3
 * ```
 */
export function constantWithWarmup(options: ConstantWithWarmupOptions): LearningRateSchedule {
  const { baseLr, warmupSteps } = options;
  return withLinearWarmup(baseLr, warmupSteps, () => baseLr);
}
