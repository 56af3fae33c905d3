import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requirePositive } from './validate-options.js';
import { withLinearWarmup } from './with-linear-warmup.js';

/** Options of {@link inverseSqrt}. */
export interface InverseSqrtOptions {
  /** Rate at the end of warmup (the peak). */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr` (0 for none). */
  readonly warmupSteps: number;
  /** Updates over which the rate falls by 1/√2 after warmup (default `warmupSteps`, or 10,000 when that is 0). */
  readonly timescale?: number;
}

/**
 * Linear warmup then inverse-square-root decay: `lr(s) = baseLr · s / warmupSteps` for
 * `s < warmupSteps`, then `baseLr / √((s − warmupSteps + timescale) / timescale)`.
 * Hugging Face's `get_inverse_sqrt_schedule` (after big_vision); with `timescale = warmupSteps` it is
 * the Transformer's `baseLr · √(warmupSteps / s)` (Vaswani et al., https://arxiv.org/abs/1706.03762).
 *
 * @example
 * ```ts
 * const lr = inverseSqrt({ baseLr: 1, warmupSteps: 100 });
 * lr(50);  // 0.5
 * lr(400); // 0.5 = √(100 / 400)
 * ```
 */
export function inverseSqrt(options: InverseSqrtOptions): LearningRateSchedule {
  const { baseLr, warmupSteps } = options;
  if (options.timescale !== undefined) requirePositive('timescale', options.timescale);
  const timescale = options.timescale ?? (warmupSteps || 10_000);
  const shift = timescale - warmupSteps;
  return withLinearWarmup(baseLr, warmupSteps, (step) => baseLr * (1 / Math.sqrt((step + shift) / timescale)));
}
