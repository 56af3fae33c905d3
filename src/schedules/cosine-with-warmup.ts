import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { cosineAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { withLinearWarmupDecay } from './with-linear-warmup.js';

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
 * (with `minLr` as `get_cosine_with_min_lr_schedule_with_warmup`'s `min_lr`):
 * `lr(s) = baseLr · s / warmup` for `s < warmup`, then
 * `minLr + (baseLr − minLr) · ½(1 + cos(π · progress))` with `progress = (s − warmup) / max(1, total − warmup)`.
 * Unlike Hugging Face, whose cosine rises again after `totalSteps`, progress is clamped to 1 so
 * the rate stays at `minLr`. Loshchilov & Hutter, SGDR (https://arxiv.org/abs/1608.03983).
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
  assert(minLr >= 0 && minLr <= baseLr, RangeArgumentError, () => `minLr (${minLr}) must be in [0, baseLr (${baseLr})]`);
  return withLinearWarmupDecay(baseLr, warmupSteps, totalSteps,
    (progress) => cosineAnneal(baseLr, minLr, Math.min(1, progress)));
}
