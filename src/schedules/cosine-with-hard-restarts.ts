import { cosineAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requirePositive } from './validate-options.js';
import { withLinearWarmupDecay } from './with-linear-warmup.js';

/** Options of {@link cosineWithHardRestarts}. */
export interface CosineWithHardRestartsOptions {
  /** Rate at the end of warmup and at every restart. */
  readonly baseLr: number;
  /** Updates of linear warmup from 0 to `baseLr` (0 for none). */
  readonly warmupSteps: number;
  /** Update at which the last cycle ends; from there on the rate is 0. */
  readonly totalSteps: number;
  /** Cosine cycles between warmup and `totalSteps` (default 1, Hugging Face's). */
  readonly numCycles?: number;
}

/**
 * Linear warmup then `numCycles` half-cosines from `baseLr` to 0, each restarting at `baseLr`:
 * `lr(s) = baseLr · ½(1 + cos(π · ((numCycles · progress) mod 1)))` with
 * `progress = (s − warmupSteps) / max(1, totalSteps − warmupSteps)`, and 0 once `progress ≥ 1`.
 * Hugging Face's `get_cosine_with_hard_restarts_schedule_with_warmup`; the restarts are those of
 * SGDR (https://arxiv.org/abs/1608.03983).
 *
 * @example
 * ```ts
 * const lr = cosineWithHardRestarts({ baseLr: 1, warmupSteps: 0, totalSteps: 100, numCycles: 2 });
 * lr(25); // 0.5
 * lr(50); // 1 (restart)
 * ```
 */
export function cosineWithHardRestarts(options: CosineWithHardRestartsOptions): LearningRateSchedule {
  const { baseLr, warmupSteps, totalSteps } = options;
  const numCycles = options.numCycles ?? 1;
  requirePositive('numCycles', numCycles);
  return withLinearWarmupDecay(baseLr, warmupSteps, totalSteps,
    (progress) => (progress >= 1 ? 0 : cosineAnneal(baseLr, 0, (numCycles * progress) % 1)));
}
