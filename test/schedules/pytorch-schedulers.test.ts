import { describe, expect, it } from 'vitest';
import {
  constantLR, cosineAnnealingLR, cosineAnnealingWarmRestarts, exponentialLR, linearLR, multiStepLR, oneCycleLR,
  polynomialLR, stepLR,
} from '../../src/schedules/index.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 12);

describe('PyTorch schedulers, by hand', () => {
  it('constantLR: factor before totalIters, then the base rate', () => {
    const lr = constantLR({ baseLr: 0.1, factor: 0.5, totalIters: 4 });
    expect([0, 3, 4, 100].map(lr)).toEqual([0.05, 0.05, 0.1, 0.1]);
    close(constantLR({ baseLr: 0.3 })(4), 0.1); // defaults: factor 1/3 for 5 updates
  });

  it('stepLR and multiStepLR decay at their boundaries, repeated milestones twice', () => {
    const step = stepLR({ baseLr: 1, stepSize: 30 });
    expect([0, 29].map(step)).toEqual([1, 1]);
    close(step(30), 0.1);
    close(step(65), 0.01);
    const multi = multiStepLR({ baseLr: 1, milestones: [80, 30, 80], gamma: 0.5 });
    expect([29, 30, 79, 80, 1000].map(multi)).toEqual([1, 0.5, 0.5, 0.125, 0.125]);
    expect(multiStepLR({ baseLr: 1, milestones: [0] })(0)).toBeCloseTo(0.1, 15);
  });

  it('exponentialLR multiplies by gamma every update', () => {
    expect([0, 1, 3].map(exponentialLR({ baseLr: 1, gamma: 0.5 }))).toEqual([1, 0.5, 0.125]);
  });

  it('linearLR and polynomialLR reach their end at totalIters and hold it', () => {
    const linear = linearLR({ baseLr: 1, startFactor: 0.5, endFactor: 1, totalIters: 4 });
    expect([0, 2, 4, 9].map(linear)).toEqual([0.5, 0.75, 1, 1]);
    close(linearLR({ baseLr: 3 })(0), 1); // defaults: 1/3 -> 1 over 5 updates
    const poly = polynomialLR({ baseLr: 1, totalIters: 4, power: 2 });
    expect([0, 2, 3, 4, 8].map(poly)).toEqual([1, 0.25, 0.0625, 0, 0]);
  });

  it('cosineAnnealingLR follows the cosine past tMax, back up to baseLr', () => {
    const lr = cosineAnnealingLR({ baseLr: 1, tMax: 100, etaMin: 0.1 });
    close(lr(0), 1);
    close(lr(50), 0.55);
    close(lr(100), 0.1);
    close(lr(150), 0.55);
    close(lr(200), 1);
  });

  it('cosineAnnealingWarmRestarts restarts after t0, t0·tMult, ... updates', () => {
    const lr = cosineAnnealingWarmRestarts({ baseLr: 1, t0: 10, tMult: 2 });
    close(lr(5), 0.5);
    close(lr(10), 1); // second cycle: updates 10..29
    close(lr(20), 0.5);
    close(lr(30), 1); // third cycle: 30..69
    close(lr(50), 0.5);
    const flat = cosineAnnealingWarmRestarts({ baseLr: 2, t0: 4, etaMin: 1 });
    close(flat(2), 1.5);
    close(flat(4), 2);
    close(flat(42), 1.5);
  });

  it('oneCycleLR: two phases, three phases, and no step past totalSteps', () => {
    const two = oneCycleLR({ maxLr: 1, totalSteps: 100, pctStart: 0.5, annealStrategy: 'linear', divFactor: 10 });
    close(two(0), 0.1);
    close(two(49), 1);
    close(two(99), 1e-5);
    expect(() => two(101)).toThrow(/step \(101\).*totalSteps \(100\)/);
    const three = oneCycleLR({ maxLr: 1, totalSteps: 101, pctStart: 0.5, divFactor: 4, threePhase: true });
    close(three(0), 0.25);
    close(three(49.5 / 2), 0.625); // half way up the cosine
    close(three(49.5), 1);
    close(three(99), 0.25);
    close(three(100), 0.25 / 1e4);
  });

  it('rejects impossible options, naming the value', () => {
    expect(() => stepLR({ baseLr: 1, stepSize: 0 })).toThrow(/stepSize \(0\) must be an integer >= 1/);
    expect(() => exponentialLR({ baseLr: 1, gamma: -1 })).toThrow(/gamma \(-1\)/);
    expect(() => multiStepLR({ baseLr: 1, milestones: [3, 1.5] })).toThrow(/milestones\[1\] \(1.5\)/);
    expect(() => constantLR({ baseLr: 1, factor: 0 })).toThrow(/factor \(0\) must be in \(0, 1\]/);
    expect(() => linearLR({ baseLr: 1, startFactor: 0 })).toThrow(/startFactor \(0\)/);
    expect(() => linearLR({ baseLr: 1, endFactor: 2 })).toThrow(/endFactor \(2\) must be in \[0, 1\]/);
    expect(() => polynomialLR({ baseLr: 1, totalIters: 0 })).toThrow(/totalIters \(0\)/);
    expect(() => cosineAnnealingLR({ baseLr: 1, tMax: 10, etaMin: -1 })).toThrow(/etaMin \(-1\)/);
    expect(() => cosineAnnealingWarmRestarts({ baseLr: 1, t0: 10, tMult: 1.5 })).toThrow(/tMult \(1.5\)/);
    expect(() => oneCycleLR({ maxLr: 1, totalSteps: 10, pctStart: 1.2 })).toThrow(/pctStart \(1.2\)/);
    expect(() => oneCycleLR({ maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(/phase 1 of the cycle empty/);
    expect(() => oneCycleLR({ maxLr: 1, totalSteps: 10, pctStart: 1 })).toThrow(RangeArgumentError);
    expect(() => oneCycleLR({ maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' })).toThrow(ConfigError);
    expect(() => oneCycleLR({ maxLr: 0, totalSteps: 10 })).toThrow(/maxLr \(0\)/);
  });
});
