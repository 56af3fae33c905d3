import { linearAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireFraction, requireInteger, requirePositive } from './validate-options.js';

/** Options of {@link linearLR}. */
export interface LinearLROptions {
  /** The rate the factors multiply. */
  readonly baseLr: number;
  /** Factor in (0, 1] of the first update (default 1/3, PyTorch's). */
  readonly startFactor?: number;
  /** Factor in [0, 1] from update `totalIters` on (default 1). */
  readonly endFactor?: number;
  /** Updates over which the factor moves from `startFactor` to `endFactor` (default 5). */
  readonly totalIters?: number;
}

/**
 * Moves the rate linearly from `startFactor · baseLr` to `endFactor · baseLr` over `totalIters`
 * updates, then holds it: `lr(s) = baseLr · (start + (end − start) · min(s, totalIters) / totalIters)`.
 * PyTorch's `torch.optim.lr_scheduler.LinearLR` (often used as a warmup). PyTorch 1.13 divides by
 * the previous rate, so `startFactor` 0 fails there and is refused here.
 *
 * @example
 * ```ts
 * const lr = linearLR({ baseLr: 1, startFactor: 0.5, endFactor: 1, totalIters: 4 });
 * lr(2); // 0.75
 * lr(9); // 1
 * ```
 */
export function linearLR(options: LinearLROptions): LearningRateSchedule {
  const { baseLr } = options;
  const startFactor = options.startFactor ?? 1 / 3;
  const endFactor = options.endFactor ?? 1;
  const totalIters = options.totalIters ?? 5;
  requirePositive('baseLr', baseLr);
  requireFraction('startFactor', startFactor, true);
  requireFraction('endFactor', endFactor);
  requireInteger('totalIters', totalIters, 1);
  return (step) => baseLr * linearAnneal(startFactor, endFactor, Math.min(step, totalIters) / totalIters);
}
