import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requirePositive } from './validate-options.js';

/** Options of {@link multiStepLR}. */
export interface MultiStepLROptions {
  /** Rate before the first milestone. */
  readonly baseLr: number;
  /** Updates at which the rate is multiplied by `gamma`; a milestone listed n times decays n times. */
  readonly milestones: readonly number[];
  /** Factor of each decay (default 0.1). */
  readonly gamma?: number;
}

/**
 * Decays the rate by `gamma` at each milestone: `lr(s) = baseLr · gamma^(number of milestones ≤ s)`,
 * counting repeated milestones as often as they are listed. PyTorch's
 * `torch.optim.lr_scheduler.MultiStepLR`.
 *
 * @example
 * ```ts
 * const lr = multiStepLR({ baseLr: 1, milestones: [30, 80, 80], gamma: 0.1 });
 * lr(30); // 0.1
 * lr(80); // 0.001
 * ```
 */
export function multiStepLR(options: MultiStepLROptions): LearningRateSchedule {
  const { baseLr, milestones } = options;
  const gamma = options.gamma ?? 0.1;
  requirePositive('baseLr', baseLr);
  milestones.forEach((m, i) => requireInteger(`milestones[${i}]`, m, 0));
  requirePositive('gamma', gamma);
  const points = [...milestones];
  return (step) => baseLr * gamma ** points.filter((m) => m <= step).length;
}
