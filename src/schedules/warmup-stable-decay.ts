import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { cosineAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireFraction, requireInteger, requireOneOf, requirePositive } from './validate-options.js';

/** Shape of the warmup or the decay of {@link warmupStableDecay}. */
export type WarmupStableDecayShape = 'linear' | 'cosine' | '1-sqrt';

/** Options of {@link warmupStableDecay}. */
export interface WarmupStableDecayOptions {
  /** Rate of the stable phase (the peak). */
  readonly baseLr: number;
  /** Updates of warmup from `minLrRatio · baseLr` to `baseLr` (0 for none). */
  readonly warmupSteps: number;
  /** Updates at `baseLr` after warmup. */
  readonly stableSteps: number;
  /** Updates of decay from `baseLr` towards `minLrRatio · baseLr`; later updates stay there. */
  readonly decaySteps: number;
  /** Lowest rate as a fraction of `baseLr`, where warmup starts and decay ends (default 0). */
  readonly minLrRatio?: number;
  /** Shape of the warmup (default `'linear'`). */
  readonly warmupType?: WarmupStableDecayShape;
  /** Shape of the decay (default `'cosine'`). */
  readonly decayType?: WarmupStableDecayShape;
  /** Cosine waves over the decay phase (default 0.5: one half-cosine); only for `decayType: 'cosine'`. */
  readonly numCycles?: number;
}

const SHAPES = ['linear', 'cosine', '1-sqrt'] as const;

/** Factor in [0, 1] of each warmup shape at `progress` in [0, 1). */
const WARMUP: Record<WarmupStableDecayShape, (progress: number) => number> = {
  linear: (p) => p,
  cosine: (p) => cosineAnneal(0, 1, p),
  '1-sqrt': (p) => 1 - Math.sqrt(1 - p),
};

/**
 * Warmup, then a stable phase at `baseLr`, then a decay, as Hugging Face's `get_wsd_schedule`
 * (the formula with `warmup_type`/`decay_type`; earlier transformers releases warmed up from 0 and
 * decayed by cosine only). With `r = minLrRatio` and `f(p)` the phase's shape:
 * - `s < warmup`: `baseLr · (r + (1 − r) · w(s / warmup))`, `w` linear `p`, cosine `½(1 − cos πp)` or `1 − √(1 − p)`;
 * - `s < warmup + stable`: `baseLr`;
 * - `s < warmup + stable + decay`: `baseLr · (r + (1 − r) · d(p))` with `p = (s − warmup − stable) / decay`,
 *   `d` linear `1 − p`, cosine `½(1 + cos(2π · numCycles · p))` or `1 − √p`;
 * - afterwards `r · baseLr`.
 * Hu et al., MiniCPM (https://arxiv.org/abs/2404.06395); the 1-sqrt decay is from Hägele et al.
 * (https://arxiv.org/abs/2405.18392).
 *
 * @example
 * ```ts
 * const lr = warmupStableDecay({ baseLr: 1, warmupSteps: 10, stableSteps: 80, decaySteps: 10, decayType: 'linear' });
 * lr(5);   // 0.5
 * lr(50);  // 1
 * lr(95);  // 0.5
 * lr(100); // 0
 * ```
 */
export function warmupStableDecay(options: WarmupStableDecayOptions): LearningRateSchedule {
  const { baseLr, warmupSteps, stableSteps, decaySteps } = options;
  const minLrRatio = options.minLrRatio ?? 0;
  const warmupType = options.warmupType ?? 'linear';
  const decayType = options.decayType ?? 'cosine';
  const numCycles = options.numCycles ?? 0.5;
  requirePositive('baseLr', baseLr);
  requireInteger('warmupSteps', warmupSteps, 0);
  requireInteger('stableSteps', stableSteps, 0);
  requireInteger('decaySteps', decaySteps, 0);
  requireFraction('minLrRatio', minLrRatio);
  requireOneOf('warmupType', warmupType, SHAPES);
  requireOneOf('decayType', decayType, SHAPES);
  assert(Number.isFinite(numCycles), RangeArgumentError, () => `numCycles (${numCycles}) must be a finite number`);
  const warmup = WARMUP[warmupType];
  const decay: (progress: number) => number = {
    linear: (p: number) => 1 - p,
    cosine: (p: number) => cosineAnneal(1, 0, 2 * numCycles * p),
    '1-sqrt': (p: number) => 1 - Math.sqrt(p),
  }[decayType];
  const scaled = (factor: number) => baseLr * Math.max(0, factor * (1 - minLrRatio) + minLrRatio);
  const decayStart = warmupSteps + stableSteps;
  return (step) => {
    if (step < warmupSteps) return scaled(warmup(step / Math.max(1, warmupSteps)));
    if (step < decayStart) return baseLr;
    if (step < decayStart + decaySteps) return scaled(decay((step - decayStart) / Math.max(1, decaySteps)));
    return baseLr * minLrRatio;
  };
}
