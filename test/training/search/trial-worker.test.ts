import { describe, expect, it } from 'vitest';
import { hyperparameterSearch } from '../../../src/training/search/hyperparameter-search.js';
import { medianPruner } from '../../../src/training/search/median-pruner.js';
import { choice } from '../../../src/training/search/search-space.js';

// Workers start a fresh module graph: the TypeScript worker needs tsx registered inside it. Under Node 20,
// `--import tsx/esm` does not reach a worker's module loading, but a preload calling tsx's `register()` does.
const tsxApi = import.meta.resolve('tsx/esm/api');
const workerExecArgv = ['--import', `data:text/javascript,import { register } from ${JSON.stringify(tsxApi)}; register();`];
const workerScript = new URL('./fake-trial.worker.ts', import.meta.url);
const objective = { metric: 'eval_loss', mode: 'min' } as const;

describe('trials in worker threads', () => {
  it('runs trials in parallel workers, records throws and crashes as failed', async () => {
    const start = performance.now();
    const result = await hyperparameterSearch({
      space: { x: choice([2, 1, 99, 98]) }, strategy: 'grid', seed: 3, objective, workerScript, workerExecArgv, parallelism: 4,
    });
    const wall = performance.now() - start;
    expect(result.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'failed', 'failed']);
    expect(result.trials[0]).toMatchObject({ value: 2.25, step: 4 });
    expect(result.trials[2]!.error).toBe('x (99) is out of range');
    expect(result.trials[3]!.error).toBe('trial worker exited with code 3 before posting a result');
    expect(result.bestConfig).toEqual({ x: 1 });
    expect(wall).toBeLessThan(result.trials.reduce((s, t) => s + t.durationMs, 0)); // the trials overlapped
  }, 30_000);

  it('prunes across the thread boundary', async () => {
    const result = await hyperparameterSearch({
      space: { x: choice([1, 2, 50]) }, strategy: 'grid', seed: 3, objective, workerScript, workerExecArgv,
      pruner: medianPruner({ startupTrials: 2 }),
    });
    expect(result.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'pruned']);
    expect(result.trials[2]).toMatchObject({ value: 51, step: 1 });
    expect(result.trials[2]!.error).toMatch(/worse than the median 2.5 of 2/);
  }, 30_000);
});
