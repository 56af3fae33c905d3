import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { cosineAnneal, linearAnneal } from './anneal.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { requireFraction, requireInteger, requireOneOf, requirePositive } from './validate-options.js';

/** Options of {@link oneCycleLR}. */
export interface OneCycleLROptions {
  /** Peak rate, reached after `pctStart · totalSteps` updates. */
  readonly maxLr: number;
  /** Updates in the cycle. */
  readonly totalSteps: number;
  /** Fraction of the cycle spent rising to `maxLr` (default 0.3). */
  readonly pctStart?: number;
  /** Shape of every phase: `'cos'` (default) or `'linear'`. */
  readonly annealStrategy?: 'cos' | 'linear';
  /** The cycle starts at `maxLr / divFactor` (default 25). */
  readonly divFactor?: number;
  /** The cycle ends at `maxLr / divFactor / finalDivFactor` (default 1e4). */
  readonly finalDivFactor?: number;
  /** Whether to fall back to the start rate before annihilating, as the paper (default false, as fastai). */
  readonly threePhase?: boolean;
}

/** One phase of the cycle: the rate goes from `from` to `to` as the step goes to `end`. */
interface Phase {
  readonly end: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The 1cycle policy: with `initial = maxLr / divFactor` and `min = initial / finalDivFactor`, the rate
 * anneals from `initial` to `maxLr` until step `pctStart · totalSteps − 1`, then to `min` at step
 * `totalSteps − 1` (or, with `threePhase`, back to `initial` at `2 · pctStart · totalSteps − 2` and
 * then to `min`). Each phase `a → b` over steps `(start, end]` gives `anneal(a, b, (s − start) / (end − start))`.
 * PyTorch's `torch.optim.lr_scheduler.OneCycleLR` (the rate only; momentum cycling is the
 * optimizer's affair). As in PyTorch, step `totalSteps` extrapolates the last phase and any later
 * step throws a {@link RangeArgumentError}. Smith & Topin, Super-Convergence
 * (https://arxiv.org/abs/1708.07120).
 *
 * @example
 * ```ts
 * const lr = oneCycleLR({ maxLr: 1, totalSteps: 100, pctStart: 0.5, annealStrategy: 'linear', divFactor: 10 });
 * lr(0);  // 0.1
 * lr(49); // 1 (the peak, at 0.5 · 100 − 1)
 * lr(99); // 1e-5 = 0.1 / 1e4
 * ```
 */
export function oneCycleLR(options: OneCycleLROptions): LearningRateSchedule {
  const { maxLr, totalSteps } = options;
  const pctStart = options.pctStart ?? 0.3;
  const annealStrategy = options.annealStrategy ?? 'cos';
  const divFactor = options.divFactor ?? 25;
  const finalDivFactor = options.finalDivFactor ?? 1e4;
  requirePositive('maxLr', maxLr);
  requireInteger('totalSteps', totalSteps, 1);
  requireFraction('pctStart', pctStart);
  requireOneOf('annealStrategy', annealStrategy, ['cos', 'linear']);
  requirePositive('divFactor', divFactor);
  requirePositive('finalDivFactor', finalDivFactor);
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const rampEnd = pctStart * totalSteps - 1;
  const phases: readonly Phase[] = options.threePhase
    ? [
      { end: rampEnd, from: initialLr, to: maxLr },
      { end: 2 * pctStart * totalSteps - 2, from: maxLr, to: initialLr },
      { end: totalSteps - 1, from: initialLr, to: minLr },
    ]
    : [
      { end: rampEnd, from: initialLr, to: maxLr },
      { end: totalSteps - 1, from: maxLr, to: minLr },
    ];
  phases.forEach((phase, i) => assert(phase.end !== (phases[i - 1]?.end ?? 0), RangeArgumentError,
    () => `pctStart (${pctStart}) and totalSteps (${totalSteps}) leave phase ${i + 1} of the cycle empty`));
  const anneal = annealStrategy === 'cos' ? cosineAnneal : linearAnneal;
  const last = phases.length - 1;
  return (step) => {
    assert(step <= totalSteps, RangeArgumentError,
      () => `step (${step}) is past the cycle's totalSteps (${totalSteps})`);
    let i = 0;
    let start = 0;
    while (i < last && step > (phases[i] as Phase).end) start = (phases[i++] as Phase).end;
    const { end, from, to } = phases[i] as Phase;
    return anneal(from, to, (step - start) / (end - start));
  };
}
