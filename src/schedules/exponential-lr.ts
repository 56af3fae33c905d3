import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requirePositive } from './validate-options.js';

/** Options of {@link exponentialLR}. */
export interface ExponentialLROptions {
  /** Rate of the first update. */
  readonly baseLr: number;
  /** Factor applied after every update. */
  readonly gamma: number;
}

/**
 * Multiplies the rate by `gamma` after every update: `lr(s) = baseLr · gamma^s`.
 * PyTorch's `torch.optim.lr_scheduler.ExponentialLR`.
 *
 * @example
 * ```ts
 * const lr = exponentialLR({ baseLr: 1, gamma: 0.5 });
 * lr(3); // 0.125
 * ```
 */
export function exponentialLR(options: ExponentialLROptions): LearningRateSchedule {
  const { baseLr, gamma } = options;
  requirePositive('baseLr', baseLr);
  requirePositive('gamma', gamma);
  return (step) => baseLr * gamma ** step;
}
