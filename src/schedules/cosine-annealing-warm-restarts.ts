import { cosineAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireInteger, requireNonNegative, requirePositive } from './validate-options.js';

/** Options of {@link cosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Rate at the start of every cycle (η_max). */
  readonly baseLr: number;
  /** Updates in the first cycle (T_0). */
  readonly t0: number;
  /** Integer factor by which each cycle is longer than the previous one (T_mult, default 1). */
  readonly tMult?: number;
  /** Lowest rate (η_min, default 0). */
  readonly etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR): cycles of `T_i = t0 · tMult^i` updates, each a
 * half-cosine from `baseLr` towards `etaMin`:
 * `lr(s) = etaMin + (baseLr − etaMin) · ½(1 + cos(π · T_cur / T_i))`, where `T_cur` counts the updates
 * since the last restart. PyTorch's `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` stepped
 * once per update. Loshchilov & Hutter, SGDR (https://arxiv.org/abs/1608.03983).
 *
 * @example
 * ```ts
 * const lr = cosineAnnealingWarmRestarts({ baseLr: 1, t0: 10, tMult: 2 });
 * lr(5);  // 0.5
 * lr(10); // 1 (restart; the next cycle lasts 20 updates)
 * lr(20); // 0.5
 * ```
 */
export function cosineAnnealingWarmRestarts(options: CosineAnnealingWarmRestartsOptions): LearningRateSchedule {
  const { baseLr, t0 } = options;
  const tMult = options.tMult ?? 1;
  const etaMin = options.etaMin ?? 0;
  requirePositive('baseLr', baseLr);
  requireInteger('t0', t0, 1);
  requireInteger('tMult', tMult, 1);
  requireNonNegative('etaMin', etaMin);
  return (step) => {
    let tCur = tMult === 1 ? step % t0 : step;
    let tI = t0;
    // Cycles grow geometrically, so this loop runs O(log step) times.
    while (tCur >= tI) {
      tCur -= tI;
      tI *= tMult;
    }
    return cosineAnneal(baseLr, etaMin, tCur / tI);
  };
}
