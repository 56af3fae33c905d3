import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';

/** A learning-rate schedule: the rate of optimizer update `step` (counted from 0). */
export type LearningRateSchedule = (step: number) => number;

/** Options of {@link cosineWithWarmup}. */
export interface CosineWithWarmupOptions {
  /** Rate at the end of warmup. */
  readonly peak: number;
  /** Updates of linear warmup from 0 to `peak`. */
  readonly warmupSteps: number;
  /** Update at which the cosine reaches `floor`; later updates stay there. */
  readonly totalSteps: number;
  /** Rate the cosine decays to (default 0). */
  readonly floor?: number;
}

/**
 * Linear warmup then half-cosine decay, as Hugging Face's `get_cosine_schedule_with_warmup`
 * (with `floor` as its min-lr variant): `lr(s) = peak · s / warmup` for `s < warmup`, then
 * `floor + (peak − floor) · ½(1 + cos(π · progress))` with `progress = (s − warmup) / (total − warmup)`
 * clamped to [0, 1]. Loshchilov & Hutter, SGDR (https://arxiv.org/abs/1608.03983).
 *
 * @example
 * ```ts
 * const lr = cosineWithWarmup({ peak: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 * lr(50);   // 5e-4
 * lr(1000); // 0
 * ```
 */
export function cosineWithWarmup(options: CosineWithWarmupOptions): LearningRateSchedule {
  const { peak, warmupSteps, totalSteps } = options;
  const floor = options.floor ?? 0;
  assert(Number.isFinite(peak) && peak > 0, RangeArgumentError, () => `peak (${peak}) must be a positive number`);
  assert(Number.isInteger(warmupSteps) && warmupSteps >= 0, RangeArgumentError,
    () => `warmupSteps (${warmupSteps}) must be a non-negative integer`);
  assert(Number.isInteger(totalSteps) && totalSteps >= warmupSteps, RangeArgumentError,
    () => `totalSteps (${totalSteps}) must be an integer >= warmupSteps (${warmupSteps})`);
  assert(floor >= 0 && floor <= peak, RangeArgumentError, () => `floor (${floor}) must be in [0, peak (${peak})]`);
  return (step: number) => {
    if (step < warmupSteps) return (peak * step) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}
