import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requirePositive } from './validate-options.js';

/** Options of {@link stepLR}. */
export interface StepLROptions {
  /** Rate of the first `stepSize` updates. */
  readonly baseLr: number;
  /** Updates between two decays. */
  readonly stepSize: number;
  /** Factor of each decay (default 0.1). */
  readonly gamma?: number;
}

/**
 * Decays the rate by `gamma` every `stepSize` updates: `lr(s) = baseLr · gamma^⌊s / stepSize⌋`.
 * PyTorch's `torch.optim.lr_scheduler.StepLR`.
 *
 * @example
 * ```ts
 * const lr = stepLR({ baseLr: 1, stepSize: 30, gamma: 0.1 });
 * lr(29); // 1
 * lr(30); // 0.1
 * ```
 */
export function stepLR(options: StepLROptions): LearningRateSchedule {
  const { baseLr, stepSize } = options;
  const gamma = options.gamma ?? 0.1;
  requirePositive('baseLr', baseLr);
  requireInteger('stepSize', stepSize, 1);
  requirePositive('gamma', gamma);
  return (step) => baseLr * gamma ** Math.floor(step / stepSize);
}
