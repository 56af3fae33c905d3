import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requireNonNegative, requirePositive } from './validate-options.js';

/** Options of {@link polynomialLR}. */
export interface PolynomialLROptions {
  /** Rate of the first update. */
  readonly baseLr: number;
  /** Updates over which the rate decays to 0 (default 5, PyTorch's). */
  readonly totalIters?: number;
  /** Exponent of the decay (default 1: linear). */
  readonly power?: number;
}

/**
 * Decays the rate polynomially to 0 over `totalIters` updates, then holds 0:
 * `lr(s) = baseLr · (1 − min(s, totalIters) / totalIters)^power`.
 * PyTorch's `torch.optim.lr_scheduler.PolynomialLR` (new in 1.13). For Hugging Face's decay to an
 * end rate after warmup see {@link polynomialDecayWithWarmup}.
 *
 * @example
 * ```ts
 * const lr = polynomialLR({ baseLr: 1, totalIters: 4, power: 2 });
 * lr(2); // 0.25
 * lr(4); // 0
 * ```
 */
export function polynomialLR(options: PolynomialLROptions): LearningRateSchedule {
  const { baseLr } = options;
  const totalIters = options.totalIters ?? 5;
  const power = options.power ?? 1;
  requirePositive('baseLr', baseLr);
  requireInteger('totalIters', totalIters, 1);
  requireNonNegative('power', power);
  return (step) => baseLr * (1 - Math.min(step, totalIters) / totalIters) ** power;
}
