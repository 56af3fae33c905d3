import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce-lr-on-plateau.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

interface Case {
  options: { mode: 'min' | 'max'; factor: number; patience: number; threshold: number; threshold_mode: 'rel' | 'abs'; cooldown: number; min_lr: number; eps: number };
  base_lr: number; metrics: number[]; lrs: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/plateau.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('ReduceLROnPlateau', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('matches torch.optim.lr_scheduler.ReduceLROnPlateau (case %i)', (_, c) => {
    const o = c.options;
    const plateau = new ReduceLROnPlateau({
      mode: o.mode, factor: o.factor, patience: o.patience, threshold: o.threshold, thresholdMode: o.threshold_mode,
      cooldown: o.cooldown, minLr: o.min_lr, eps: o.eps,
    });
    const lr = plateau.wrap(c.base_lr);
    c.metrics.forEach((m, i) => {
      lr(i);
      plateau.onEvaluate({ step: i, epoch: 0, metrics: { eval_loss: m } });
      expect(lr(i + 1), `after metric ${i}`).toBeCloseTo(c.lrs[i]!, 14);
    });
  });

  it('rejects bad options', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrowError(RangeArgumentError);
    expect(() => new ReduceLROnPlateau({ patience: -1 })).toThrowError('patience (-1) must be a non-negative integer');
  });
});
