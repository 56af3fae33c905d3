import { describe, expect, it } from 'vitest';
import type { TrainerControl, TrainerState } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early-stopping.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

const state: TrainerState = { step: 0, epoch: 0, maxSteps: 100, logHistory: [] };
function recorder() {
  const stops: string[] = [];
  const control: TrainerControl = { requestStop: (r) => { stops.push(r); }, snapshotWeights: async () => new Map(), restoreWeights: () => {} };
  return { stops, control };
}

describe('EarlyStopping on scripted metric sequences (Keras semantics)', () => {
  it('stops at the first report where patience runs out, mode min with minDelta', async () => {
    const { stops, control } = recorder();
    const stopper = new EarlyStopping({ monitor: 'eval_loss', patience: 2, minDelta: 0.05 });
    const values = [1.0, 0.9, 0.87, 0.86, 0.8, 0.79, 0.78];
    for (const [i, v] of values.entries()) {
      await stopper.onEvaluate({ step: i + 1, epoch: i, metrics: { eval_loss: v } }, state, control);
      if (stops.length > 0) break;
    }
    // 0.87 and 0.86 do not beat 0.9 by more than 0.05: stop at the 4th report
    expect(stopper.stoppedStep).toBe(4);
    expect(stopper.bestStep).toBe(2);
    expect(stops[0]).toMatch(/did not improve by more than 0.05 for 2 evaluation\(s\) \(best 0.9 at step 2\)/);
  });

  it('monitors a training metric from log entries, mode max, with a baseline', async () => {
    const { stops, control } = recorder();
    const stopper = new EarlyStopping({ monitor: 'accuracy', mode: 'max', patience: 1, baseline: 0.5 });
    await stopper.onLog({ step: 1, epoch: 0, metrics: { accuracy: 0.4 } }, state, control);
    expect(stopper.stoppedStep).toBe(1); // never beat the baseline within patience
    expect(stops[0]).toMatch(/baseline 0.5/);
    const again = new EarlyStopping({ monitor: 'accuracy', mode: 'max', patience: 1, baseline: 0.5 });
    await again.onLog({ step: 1, epoch: 0, metrics: { accuracy: 0.6 } }, state, control);
    await again.onLog({ step: 2, epoch: 0, metrics: { loss: 1 } }, state, control); // other metrics are ignored
    expect(again.stoppedStep).toBe(-1);
    expect(again.bestValue).toBe(0.6);
  });

  it('rejects negative patience', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrowError(RangeArgumentError);
  });
});
