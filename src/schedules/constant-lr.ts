import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireFraction, requireInteger, requirePositive } from './validate-options.js';

/** Options of {@link constantLR}. */
export interface ConstantLROptions {
  /** Rate from update `totalIters` on. */
  readonly baseLr: number;
  /** Factor in (0, 1] applied to the first `totalIters` updates (default 1/3, PyTorch's). */
  readonly factor?: number;
  /** Updates that run at `factor · baseLr` (default 5). */
  readonly totalIters?: number;
}

/**
 * A reduced rate for the first updates, then the full rate: `lr(s) = baseLr · factor` for
 * `s < totalIters`, else `baseLr`. PyTorch's `torch.optim.lr_scheduler.ConstantLR`. (Hugging Face's
 * constant schedule is {@link constantSchedule}.) PyTorch divides by `factor` at `totalIters`, so
 * `factor` 0 is refused here rather than failing there.
 *
 * @example
 * ```ts
 * const lr = constantLR({ baseLr: 0.1, factor: 0.5, totalIters: 4 });
 * lr(3); // 0.05
 * lr(4); // 0.1
 * ```
 */
export function constantLR(options: ConstantLROptions): LearningRateSchedule {
  const { baseLr } = options;
  const factor = options.factor ?? 1 / 3;
  const totalIters = options.totalIters ?? 5;
  requirePositive('baseLr', baseLr);
  requireFraction('factor', factor, true);
  requireInteger('totalIters', totalIters, 1);
  return (step) => (step < totalIters ? baseLr * factor : baseLr);
}
