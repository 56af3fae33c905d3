import { describe, expect, it } from 'vitest';
import { medianPruner } from '../../../src/training/search/median-pruner.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';

const series = (...pairs: Array<[number, number]>) => new Map(pairs);
const completed = [series([1, 4], [2, 3]), series([1, 5], [2, 2]), series([1, 6], [2, 1])]; // medians: step 1 -> 5, step 2 -> 2

describe('medianPruner', () => {
  const prune = medianPruner({ startupTrials: 3 });

  it('prunes when the best value so far is worse than the median at that step', () => {
    expect(prune({ step: 1, values: series([1, 5.5]), completed, mode: 'min' })).toMatch(/best value 5.5 at step 1 is worse than the median 5 of 3/);
    expect(prune({ step: 1, values: series([1, 5]), completed, mode: 'min' })).toBeUndefined(); // equal is not worse
    // the trial's best over all its steps counts: 1.5 at step 1 beats the step-2 median 2
    expect(prune({ step: 2, values: series([1, 1.5], [2, 9]), completed, mode: 'min' })).toBeUndefined();
    expect(prune({ step: 2, values: series([1, 1.5], [2, 1.9]), completed, mode: 'max' })).toMatch(/median 2/);
  });

  it('waits for startup trials, warmup steps and completed values at the step', () => {
    expect(prune({ step: 1, values: series([1, 99]), completed: completed.slice(0, 2), mode: 'min' })).toBeUndefined();
    expect(medianPruner({ startupTrials: 0, warmupSteps: 2 })({ step: 1, values: series([1, 99]), completed, mode: 'min' })).toBeUndefined();
    expect(prune({ step: 3, values: series([3, 99]), completed, mode: 'min' })).toBeUndefined(); // nobody reported at step 3
    expect(medianPruner({ startupTrials: 0, minTrials: 4 })({ step: 1, values: series([1, 99]), completed, mode: 'min' })).toBeUndefined();
  });

  it('prunes all-NaN trials and ignores NaN values otherwise', () => {
    expect(prune({ step: 1, values: series([1, NaN]), completed, mode: 'min' })).toMatch(/NaN/);
    expect(prune({ step: 2, values: series([1, NaN], [2, 1]), completed, mode: 'min' })).toBeUndefined();
  });

  it('validates its options', () => {
    expect(() => medianPruner({ minTrials: 0 })).toThrow(new RangeArgumentError('minTrials (0) must be an integer >= 1'));
    expect(() => medianPruner({ warmupSteps: -1 })).toThrow(RangeArgumentError);
  });
});
