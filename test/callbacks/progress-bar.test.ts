import { describe, expect, it } from 'vitest';
import type { LogEntry, TrainerState } from '../../src/callbacks/callback.js';
import { ProgressBar } from '../../src/callbacks/progress-bar.js';

const state = (step: number): TrainerState => ({ step, epoch: 0, maxSteps: 100, logHistory: [], stopReason: 'reached maxSteps (100)' });
const entry = (step: number): LogEntry => ({
  step, epoch: 0, metrics: { loss: 2.34567, learning_rate: 3e-4, grad_norm: 1, tokens_per_second: 1234.4, ms_per_step: 500 },
});

describe('ProgressBar', () => {
  it('prints plain lines when the sink is not a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ sink: { write: (s: string) => { out += s; } }, width: 10 });
    bar.onLog(entry(25), state(25));
    bar.onEvaluate({ step: 25, epoch: 0, metrics: { eval_loss: 2 } });
    bar.onTrainEnd(state(100));
    expect(out).toBe(
      'step 25/100 [==>       ] loss 2.3457 lr 3.00e-4 1,234 tok/s ETA 38s\n' +
      'eval at step 25: eval_loss 2.0000\n' +
      'training stopped at step 100: reached maxSteps (100)\n');
  });

  it('redraws one line in place on a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ sink: { write: (s: string) => { out += s; }, isTTY: true }, width: 4 });
    bar.onLog(entry(50), state(50));
    bar.onLog(entry(100), { ...state(100), maxSteps: 100 });
    bar.onTrainEnd(state(100));
    expect(out.split('\r')).toHaveLength(3);
    expect(out).toContain('step 100/100 [===>] loss 2.3457');
    expect(out).toContain('ETA 0s');
    expect(out.endsWith('\ntraining stopped at step 100: reached maxSteps (100)\n')).toBe(true);
  });
});
