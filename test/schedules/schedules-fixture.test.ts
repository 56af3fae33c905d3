import { describe, expect, it } from 'vitest';
import * as schedules from '../../src/schedules/index.js';
import type { LearningRateSchedule } from '../../src/schedules/index.js';
import { readFixture } from '../helpers/fixtures.js';

/** A case of scripts/fixtures/schedules.py: lrs[k] is the rate of update k in PyTorch 1.13. */
interface ScheduleCase {
  readonly schedule: string;
  readonly options: Record<string, unknown>;
  readonly lrs: number[];
}

const { cases } = readFixture<{ cases: ScheduleCase[] }>('schedules.json');
const factories = schedules as unknown as Record<string, (options: unknown) => LearningRateSchedule>;

describe('schedules against PyTorch 1.13 and Hugging Face (test/fixtures/schedules.json)', () => {
  it('covers every exported schedule', () => {
    const exported = Object.keys(schedules).sort();
    expect([...new Set(cases.map((c) => c.schedule))].sort()).toEqual(exported);
  });

  it.each(cases.map((c) => [c.schedule, JSON.stringify(c.options), c] as const))('%s %s', (name, _, c) => {
    const lr = (factories[name] as (options: unknown) => LearningRateSchedule)(c.options);
    let worst = 0;
    c.lrs.forEach((expected, step) => {
      worst = Math.max(worst, Math.abs(lr(step) - expected) / Math.max(1, Math.abs(expected)));
    });
    expect(worst).toBeLessThanOrEqual(1e-12);
  });
});
