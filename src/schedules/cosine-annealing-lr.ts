import { cosineAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requireNonNegative, requirePositive } from './validate-options.js';

/** Options of {@link cosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Rate of the first update (η_max). */
  readonly baseLr: number;
  /** Updates of one half-cosine from `baseLr` down to `etaMin`. */
  readonly tMax: number;
  /** Lowest rate (η_min, default 0). */
  readonly etaMin?: number;
}

/**
 * Cosine annealing without restarts: `lr(s) = etaMin + (baseLr − etaMin) · ½(1 + cos(π · s / tMax))`.
 * PyTorch's `torch.optim.lr_scheduler.CosineAnnealingLR`, including past `tMax`, where the rate
 * climbs back to `baseLr` over the next `tMax` updates (period `2 · tMax`). PyTorch computes each rate
 * from the previous one; that recursion restarts exactly at every trough, and over thousands of
 * updates stays within about 1e-14 (relative) of this closed form. The annealing part of SGDR,
 * Loshchilov & Hutter (https://arxiv.org/abs/1608.03983); for the restarts see
 * {@link cosineAnnealingWarmRestarts}.
 *
 * @example
 * ```ts
 * const lr = cosineAnnealingLR({ baseLr: 1, tMax: 100, etaMin: 0.1 });
 * lr(50);  // 0.55
 * lr(100); // 0.1
 * ```
 */
export function cosineAnnealingLR(options: CosineAnnealingLROptions): LearningRateSchedule {
  const { baseLr, tMax } = options;
  const etaMin = options.etaMin ?? 0;
  requirePositive('baseLr', baseLr);
  requireInteger('tMax', tMax, 1);
  requireNonNegative('etaMin', etaMin);
  return (step) => cosineAnneal(baseLr, etaMin, step / tMax);
}
