import { describe, expect, it } from 'vitest';
import { cosineWithWarmup } from '../../src/schedules/cosine-with-warmup.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

describe('cosineWithWarmup', () => {
  it('matches Hugging Face get_cosine_schedule_with_warmup', () => {
    // HF: lambda(s) = s / max(1, w) for s < w, else 0.5 * (1 + cos(pi * (s - w) / max(1, T - w)))
    const lr = cosineWithWarmup({ baseLr: 2, warmupSteps: 4, totalSteps: 12 });
    expect([0, 1, 2, 3].map(lr)).toEqual([0, 0.5, 1, 1.5]);
    expect(lr(4)).toBeCloseTo(2, 12);
    expect(lr(8)).toBeCloseTo(1, 12); // half way: cos(pi/2) = 0
    expect(lr(6)).toBeCloseTo(1 + Math.cos(Math.PI / 4), 12);
    expect(lr(12)).toBeCloseTo(0, 12);
    expect(lr(50)).toBeCloseTo(0, 12);
  });

  it('decays to minLr and stays there', () => {
    const lr = cosineWithWarmup({ baseLr: 1, warmupSteps: 0, totalSteps: 10, minLr: 0.1 });
    expect(lr(0)).toBeCloseTo(1, 12);
    expect(lr(5)).toBeCloseTo(0.55, 12);
    expect(lr(10)).toBeCloseTo(0.1, 12);
    expect(lr(11)).toBeCloseTo(0.1, 12);
  });

  it('rejects impossible settings, naming the value', () => {
    expect(() => cosineWithWarmup({ baseLr: 0, warmupSteps: 1, totalSteps: 2 })).toThrow(/baseLr \(0\)/);
    expect(() => cosineWithWarmup({ baseLr: 1, warmupSteps: 5, totalSteps: 2 })).toThrow(RangeArgumentError);
    expect(() => cosineWithWarmup({ baseLr: 1, warmupSteps: 1.5, totalSteps: 2 })).toThrow(/warmupSteps \(1.5\)/);
    expect(() => cosineWithWarmup({ baseLr: 1, warmupSteps: 0, totalSteps: 2, minLr: 2 })).toThrow(/minLr \(2\)/);
  });
});
