// A trial worker for trial-worker.test.ts: a fake training loop (no tfjs) whose eval_loss is x + 1/step.
import type { LogEntry, TrainerControl, TrainerState } from '../../../src/callbacks/callback.js';
import { serveTrialWorker } from '../../../src/training/search/trial-worker.js';

serveTrialWorker<{ x: number }>(async ({ x }, { pruningCallback, seed }) => {
  if (x === 99) throw new RangeError(`x (${x}) is out of range`);
  if (x === 98) process.exit(3);
  const state: { step: number; epoch: number; maxSteps: number; logHistory: LogEntry[]; stopReason?: string } = { step: 0, epoch: 0, maxSteps: 4, logHistory: [] };
  const control = { requestStop: (reason: string) => { state.stopReason ??= reason; } } as TrainerControl;
  while (state.step < state.maxSteps && state.stopReason === undefined) {
    state.step++;
    await new Promise((r) => setTimeout(r, 20));
    const entry = { step: state.step, epoch: 0, metrics: { eval_loss: x + 1 / state.step, seed } };
    state.logHistory.push(entry);
    await pruningCallback.onEvaluate!(entry, state as TrainerState, control);
  }
  return state;
});
