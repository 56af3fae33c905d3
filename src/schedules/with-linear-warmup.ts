import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requirePositive } from './validate-options.js';

/**
 * Prefixes `afterWarmup` with Hugging Face's linear warmup: `baseLr · step / max(1, warmupSteps)` for
 * `step < warmupSteps`, then `afterWarmup(step)` (which receives the absolute step). Validates
 * `baseLr` and `warmupSteps`. Shared by every Hugging Face `get_*_schedule_with_warmup` here.
 *
 * @param baseLr - rate at the end of warmup
 * @param warmupSteps - updates of warmup (0 for none)
 * @param afterWarmup - the rate of any step from `warmupSteps` on
 * @example
 * ```ts
 * const lr = withLinearWarmup(1, 4, () => 1);
 * lr(1); // 0.25
 * ```
 */
export function withLinearWarmup(
  baseLr: number,
  warmupSteps: number,
  afterWarmup: LearningRateSchedule,
): LearningRateSchedule {
  requirePositive('baseLr', baseLr);
  requireInteger('warmupSteps', warmupSteps, 0);
  return (step) => (step < warmupSteps ? baseLr * (step / Math.max(1, warmupSteps)) : afterWarmup(step));
}

/** Rate after warmup from the decay's `progress` (0 at `warmupSteps`, 1 at `totalSteps`) or the `step` itself. */
export type DecayAfterWarmup = (progress: number, step: number) => number;

/**
 * {@link withLinearWarmup} followed by a decay that ends at `totalSteps`, the shape of Hugging Face's
 * warmup-then-decay schedules: `decay` receives `progress = (step − warmupSteps) / max(1, totalSteps − warmupSteps)`
 * (above 1 past `totalSteps`) and the step. Validates `totalSteps ≥ warmupSteps` as well.
 *
 * @param baseLr - rate at the end of warmup
 * @param warmupSteps - updates of warmup (0 for none)
 * @param totalSteps - update at which the decay ends
 * @param decay - the rate of any step from `warmupSteps` on
 * @example
 * ```ts
 * const lr = withLinearWarmupDecay(1, 10, 110, (progress) => 1 - progress);
 * lr(60); // 0.5
 * ```
 */
export function withLinearWarmupDecay(
  baseLr: number,
  warmupSteps: number,
  totalSteps: number,
  decay: DecayAfterWarmup,
): LearningRateSchedule {
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const schedule = withLinearWarmup(baseLr, warmupSteps, (step) => decay((step - warmupSteps) / decaySteps, step));
  requireInteger('totalSteps', totalSteps, warmupSteps);
  return schedule;
}
