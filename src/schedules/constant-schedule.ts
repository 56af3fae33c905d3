import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requirePositive } from './validate-options.js';

/** Options of {@link constantSchedule}. */
export interface ConstantScheduleOptions {
  /** The rate of every update. */
  readonly baseLr: number;
}

/**
 * The same rate for every update, `lr(s) = baseLr`: Hugging Face's `get_constant_schedule`.
 * (PyTorch's `ConstantLR`, a factor for the first updates, is {@link constantLR}.)
 *
 * @example
 * ```ts
 * const lr = constantSchedule({ baseLr: 3e-4 });
 * lr(1000); // 3e-4
 * ```
 */
export function constantSchedule(options: ConstantScheduleOptions): LearningRateSchedule {
  const { baseLr } = options;
  requirePositive('baseLr', baseLr);
  return () => baseLr;
}
