import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';

/** A learning-rate schedule: the rate of optimizer update `step` (counted from 0). */
export type LearningRateSchedule = (step: number) => number;

/** Options of {@link cosineWithWarmup}. */
export interface CosineWithWarmupOptions {
  /** Rate at the end of warmup (the peak). */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr`. */
  readonly warmupSteps: number;
  /** Update at which the cosine reaches `minLr`; later updates stay there. */
  readonly totalSteps: number;
  /** Rate the cosine decays to (default 0). */
  readonly minLr?: number;
}

/**
 * Linear warmup then half-cosine decay, as Hugging Face's `get_cosine_schedule_with_warmup`
 * (with `minLr` as its min-lr variant): `lr(s) = baseLr · s / warmup` for `s < warmup`, then
 * `minLr + (baseLr − minLr) · ½(1 + cos(π · progress))` with `progress = (s − warmup) / (total − warmup)`
 * clamped to [0, 1]. Loshchilov & Hutter, SGDR (https://arxiv.org/abs/1608.03983).
 *
 * @example
 * ```ts
 * const lr = cosineWithWarmup({ baseLr: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 * lr(50);   // 5e-4
 * lr(1000); // 0
 * ```
 */
export function cosineWithWarmup(options: CosineWithWarmupOptions): LearningRateSchedule {
  const { baseLr, warmupSteps, totalSteps } = options;
  const minLr = options.minLr ?? 0;
  assert(Number.isFinite(baseLr) && baseLr > 0, RangeArgumentError, () => `baseLr (${baseLr}) must be a positive number`);
  assert(Number.isInteger(warmupSteps) && warmupSteps >= 0, RangeArgumentError,
    () => `warmupSteps (${warmupSteps}) must be a non-negative integer`);
  assert(Number.isInteger(totalSteps) && totalSteps >= warmupSteps, RangeArgumentError,
    () => `totalSteps (${totalSteps}) must be an integer >= warmupSteps (${warmupSteps})`);
  assert(minLr >= 0 && minLr <= baseLr, RangeArgumentError, () => `minLr (${minLr}) must be in [0, baseLr (${baseLr})]`);
  return (step: number) => {
    if (step < warmupSteps) return (baseLr * step) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}
