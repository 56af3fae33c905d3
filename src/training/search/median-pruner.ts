import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';

/** Intermediate objective values of one trial, by optimizer step. */
export type IntermediateValues = ReadonlyMap<number, number>;

/** What a {@link Pruner} decides from. */
export interface PrunerInput {
  /** Step of the value just reported. */
  readonly step: number;
  /** The running trial's values so far, the one just reported included. */
  readonly values: IntermediateValues;
  /** The values of every completed trial (pruned and failed trials are left out). */
  readonly completed: readonly IntermediateValues[];
  /** Whether lower (`min`) or higher (`max`) objective values are better. */
  readonly mode: 'min' | 'max';
}

/**
 * Decides, each time a running trial reports an intermediate objective value, whether to stop it.
 * Returns the reason to prune (recorded in the trainer's `stopReason`), or `undefined` to go on.
 *
 * @example
 * ```ts
 * // stop any trial whose loss is still above 5 after step 100
 * const pruner: Pruner = ({ step, values }) => (step >= 100 && values.get(step)! > 5 ? 'loss above 5' : undefined);
 * ```
 */
export type Pruner = (input: PrunerInput) => string | undefined;

/** Options of {@link medianPruner}; the names follow Optuna's `MedianPruner`. */
export interface MedianPrunerOptions {
  /** Completed trials needed before anything is pruned (default 5, as in Optuna). */
  readonly startupTrials?: number;
  /** Reports at steps below this are never pruned (default 0). */
  readonly warmupSteps?: number;
  /** Completed trials that must have a value at the reported step for a median to exist (default 1). */
  readonly minTrials?: number;
}

/**
 * Optuna's median stopping rule (`MedianPruner`, after Google Vizier,
 * https://research.google/pubs/google-vizier-a-service-for-black-box-optimization/). When a trial
 * reports a value at step `s`, it is pruned if and only if all of these hold:
 *
 * 1. at least `startupTrials` trials have completed;
 * 2. `s >= warmupSteps`;
 * 3. at least `minTrials` completed trials reported a value at exactly step `s`;
 * 4. the trial's best value so far (lowest for `min`, highest for `max`, over all its reports up to
 *    `s`) is worse than the median of those completed trials' values at `s`, strictly.
 *
 * NaN values are ignored on both sides; a trial whose reports are all NaN is pruned as soon as
 * conditions 1 and 2 hold (as in Optuna). Trials compared
 * should therefore evaluate at the same steps (the same `evaluation.every`).
 *
 * @throws RangeArgumentError naming an option that is not a non-negative integer (`minTrials` >= 1)
 * @example
 * ```ts
 * declare const options: HyperparameterSearchOptions<{ learningRate: LogUniformDimension }>;
 * await hyperparameterSearch({ ...options, pruner: medianPruner({ startupTrials: 2, warmupSteps: 20 }) });
 * ```
 */
export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  const { startupTrials = 5, warmupSteps = 0, minTrials = 1 } = options;
  for (const [name, value, min] of [['startupTrials', startupTrials, 0], ['warmupSteps', warmupSteps, 0], ['minTrials', minTrials, 1]] as const) {
    assert(Number.isInteger(value) && value >= min, RangeArgumentError, () => `${name} (${value}) must be an integer >= ${min}`);
  }
  return ({ step, values, completed, mode }) => {
    if (completed.length < startupTrials || step < warmupSteps) return undefined;
    const own = [...values.values()].filter((v) => !Number.isNaN(v));
    if (own.length === 0) return `only NaN values up to step ${step}`;
    const best = mode === 'min' ? Math.min(...own) : Math.max(...own);
    const others = completed.flatMap((c) => (c.has(step) ? [c.get(step) as number] : [])).filter((v) => !Number.isNaN(v));
    if (others.length < minTrials) return undefined;
    const m = median(others);
    const worse = mode === 'min' ? best > m : best < m;
    return worse ? `best value ${best} at step ${step} is worse than the median ${m} of ${others.length} completed trial(s)` : undefined;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
