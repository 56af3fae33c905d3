import { describe, expect, it } from 'vitest';
import {
  constantSchedule, constantWithWarmup, cosineWithHardRestarts, inverseSqrt, linearWithWarmup,
  polynomialDecayWithWarmup, warmupStableDecay,
} from '../../src/schedules/index.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 12);

describe('Hugging Face schedules, by hand', () => {
  it('constant, with and without warmup', () => {
    expect(constantSchedule({ baseLr: 3e-4 })(12345)).toBe(3e-4);
    expect([0, 5, 10, 99].map(constantWithWarmup({ baseLr: 1, warmupSteps: 10 }))).toEqual([0, 0.5, 1, 1]);
    expect(constantWithWarmup({ baseLr: 1, warmupSteps: 0 })(0)).toBe(1);
  });

  it('linearWithWarmup rises to baseLr and falls to 0 at totalSteps', () => {
    const lr = linearWithWarmup({ baseLr: 1, warmupSteps: 10, totalSteps: 110 });
    expect([0, 5, 10, 60, 110, 200].map(lr)).toEqual([0, 0.5, 1, 0.5, 0, 0]);
    // totalSteps == warmupSteps: straight to 0 after warmup, as Hugging Face.
    expect(linearWithWarmup({ baseLr: 1, warmupSteps: 4, totalSteps: 4 })(4)).toBe(0);
  });

  it('cosineWithHardRestarts restarts numCycles times, then 0', () => {
    const lr = cosineWithHardRestarts({ baseLr: 1, warmupSteps: 10, totalSteps: 110, numCycles: 2 });
    close(lr(5), 0.5);
    close(lr(10), 1);
    close(lr(35), 0.5);
    close(lr(60), 1);
    close(lr(85), 0.5);
    expect(lr(110)).toBe(0);
  });

  it('polynomialDecayWithWarmup decays to lrEnd and stays there', () => {
    const lr = polynomialDecayWithWarmup({ baseLr: 1, warmupSteps: 0, totalSteps: 10, lrEnd: 0.1, power: 2 });
    close(lr(0), 1);
    close(lr(5), 0.325);
    close(lr(10), 0.1);
    expect(lr(11)).toBe(0.1);
    close(polynomialDecayWithWarmup({ baseLr: 1, warmupSteps: 0, totalSteps: 10 })(10), 1e-7);
  });

  it('inverseSqrt falls as 1/sqrt(step) after warmup; timescale defaults to warmupSteps', () => {
    const lr = inverseSqrt({ baseLr: 1, warmupSteps: 100 });
    close(lr(50), 0.5);
    close(lr(100), 1);
    close(lr(400), 0.5);
    close(inverseSqrt({ baseLr: 1, warmupSteps: 0 })(30_000), 0.5); // timescale 10,000
    close(inverseSqrt({ baseLr: 1, warmupSteps: 10, timescale: 20 })(70), Math.sqrt(0.25));
  });

  it('warmupStableDecay: warmup from minLrRatio, stable, decay, then minLrRatio', () => {
    const lr = warmupStableDecay({ baseLr: 1, warmupSteps: 10, stableSteps: 80, decaySteps: 10, decayType: 'linear' });
    expect([0, 5, 10, 89, 95, 100, 500].map(lr)).toEqual([0, 0.5, 1, 1, 0.5, 0, 0]);
    const cos = warmupStableDecay({ baseLr: 2, warmupSteps: 4, stableSteps: 0, decaySteps: 8, minLrRatio: 0.5 });
    close(cos(0), 1); // warmup starts at minLrRatio · baseLr
    close(cos(2), 1.5);
    close(cos(4), 2);
    close(cos(8), 1.5);
    close(cos(12), 1);
    const sqrt = warmupStableDecay({
      baseLr: 1, warmupSteps: 4, stableSteps: 0, decaySteps: 4, warmupType: '1-sqrt', decayType: '1-sqrt',
    });
    close(sqrt(3), 0.5);
    close(sqrt(5), 0.5);
  });

  it('rejects impossible options, naming the value', () => {
    expect(() => constantSchedule({ baseLr: -1 })).toThrow(/baseLr \(-1\)/);
    expect(() => linearWithWarmup({ baseLr: 1, warmupSteps: 10, totalSteps: 5 })).toThrow(/totalSteps \(5\)/);
    expect(() => cosineWithHardRestarts({ baseLr: 1, warmupSteps: 0, totalSteps: 5, numCycles: 0 }))
      .toThrow(/numCycles \(0\)/);
    expect(() => polynomialDecayWithWarmup({ baseLr: 1e-3, warmupSteps: 0, totalSteps: 5, lrEnd: 1e-2 }))
      .toThrow(/lrEnd \(0.01\) must be smaller than baseLr \(0.001\)/);
    expect(() => polynomialDecayWithWarmup({ baseLr: 1, warmupSteps: 5, totalSteps: 5 })).toThrow(RangeArgumentError);
    expect(() => inverseSqrt({ baseLr: 1, warmupSteps: 0, timescale: 0 })).toThrow(/timescale \(0\)/);
    expect(() => inverseSqrt({ baseLr: 1, warmupSteps: -3 })).toThrow(/warmupSteps \(-3\)/);
    expect(() => warmupStableDecay({ baseLr: 1, warmupSteps: 1, stableSteps: -1, decaySteps: 1 }))
      .toThrow(/stableSteps \(-1\)/);
    expect(() => warmupStableDecay({ baseLr: 1, warmupSteps: 1, stableSteps: 1, decaySteps: 1, minLrRatio: 2 }))
      .toThrow(/minLrRatio \(2\)/);
    expect(() => warmupStableDecay({
      baseLr: 1, warmupSteps: 1, stableSteps: 1, decaySteps: 1, decayType: 'exp' as 'linear',
    })).toThrow(ConfigError);
  });
});
