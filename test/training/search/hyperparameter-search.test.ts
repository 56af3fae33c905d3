import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainerState } from '../../../src/callbacks/callback.js';
import type { CausalLMBatch } from '../../../src/data/causal-lm-batch.js';
import { randomWindowSource } from '../../../src/data/random-window-source.js';
import { sampleWindows } from '../../../src/data/sample-windows.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../../src/training/adamw.js';
import { hyperparameterSearch } from '../../../src/training/search/hyperparameter-search.js';
import { formatSearchResults } from '../../../src/training/search/search-results-file.js';
import { medianPruner } from '../../../src/training/search/median-pruner.js';
import { choice, logUniform } from '../../../src/training/search/search-space.js';
import type { TrialRunner } from '../../../src/training/search/search-trial.js';
import { Trainer } from '../../../src/training/trainer.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-search-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tokens = Int32Array.from({ length: 600 }, (_, i) => (i * 7 + (i >> 2)) % 20);
const validation = [0, 1].map((i) => sampleWindows(tokens, { batchSize: 4, seqLength: 8, rng: new Rng(100 + i) }));
const objective = { metric: 'eval_loss', mode: 'min' } as const;

/** Trains a tiny GPT for a config; remembers each trial's final state. */
function tinyGptTrials(maxSteps: number) {
  const states = new Map<number, TrainerState>();
  const runTrial: TrialRunner<{ learningRate: number; hiddenSize: number }> = async (config, { index, seed, pruningCallback }) => {
    const model = new GPTCausalLM({ vocabSize: 20, hiddenSize: config.hiddenSize, numLayers: 1, numHeads: 2, contextLength: 8, seed });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: config.learningRate });
    try {
      const trainer = new Trainer<CausalLMBatch>({
        model, optimizer, maxSteps, train: randomWindowSource(tokens, { batchSize: 4, seqLength: 8, seed }),
        evaluation: { batches: () => validation, every: 2 }, callbacks: [pruningCallback],
      });
      const state = await trainer.train();
      states.set(index, state);
      return state;
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  };
  return { runTrial, states };
}

describe('hyperparameterSearch', () => {
  it('runs a random search on a tiny GPT, picks the lowest eval_loss, records failures and leaks nothing', async () => {
    const { runTrial, states } = tinyGptTrials(4);
    const resultsPath = join(tmp, 'random', 'results.json');
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const result = await hyperparameterSearch({
      space: { learningRate: logUniform(1e-3, 1e-1), hiddenSize: choice([8, 16, 15]) }, // numHeads 2 cannot split 15
      strategy: 'random', trials: 6, seed: 4, objective, runTrial, resultsPath,
      onTrialEnd: (trial) => { seen.push(JSON.parse(readFileSync(resultsPath, 'utf8')).trials.length); expect(trial.durationMs).toBeGreaterThan(0); },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]); // the file is rewritten after every trial
    expect(result.trials.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const failed = result.trials.filter((t) => t.status === 'failed');
    const completed = result.trials.filter((t) => t.status === 'completed');
    expect(failed.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThan(1);
    for (const t of failed) {
      expect(t.config.hiddenSize).toBe(15);
      expect(t.error).toMatch(/numHeads \(2\) must divide hiddenSize \(15\)/);
    }
    for (const t of completed) {
      const evals = states.get(t.index)!.logHistory.filter((e) => e.metrics.eval_loss !== undefined);
      expect(t.value).toBe(Math.min(...evals.map((e) => e.metrics.eval_loss!)));
      expect(evals.find((e) => e.metrics.eval_loss === t.value)!.step).toBe(t.step);
    }
    const lowest = Math.min(...completed.map((t) => t.value!));
    expect(result.best!.value).toBe(lowest);
    expect(result.bestConfig).toEqual(result.best!.config);

    // reproducible: the same seed draws the same configurations and trial seeds
    const again = await hyperparameterSearch({
      space: { learningRate: logUniform(1e-3, 1e-1), hiddenSize: choice([8, 16, 15]) },
      strategy: 'random', trials: 6, seed: 4, objective, runTrial: async () => ({ eval_loss: 1 }),
    });
    expect(again.trials.map((t) => [t.config, t.seed])).toEqual(result.trials.map((t) => [t.config, t.seed]));
    const file = JSON.parse(readFileSync(resultsPath, 'utf8'));
    expect(file.objective).toEqual(objective);
    expect(file.best.index).toBe(result.best!.index);
    expect(file.trials[failed[0]!.index].status).toBe('failed');
  });

  it('prunes a diverging trial early with the median rule and writes CSV', async () => {
    const { runTrial, states } = tinyGptTrials(8);
    const resultsPath = join(tmp, 'grid', 'results.csv');
    const result = await hyperparameterSearch({
      space: { learningRate: choice([1e-2, 3e-2, 20]), hiddenSize: choice([16]) },
      strategy: 'grid', seed: 1, objective, runTrial, resultsPath, pruner: medianPruner({ startupTrials: 2 }),
    });
    expect(result.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'pruned']);
    const pruned = result.trials[2]!;
    expect(pruned.step).toBe(2); // its first evaluation
    expect(pruned.error).toMatch(/worse than the median/);
    expect(states.get(2)!.step).toBe(2);
    expect(states.get(2)!.stopReason).toMatch(/^pruned: best value .* at step 2/);
    expect(states.get(0)!.step).toBe(8);
    expect(result.best!.index).toBe(result.trials[0]!.value! <= result.trials[1]!.value! ? 0 : 1);

    const lines = readFileSync(resultsPath, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('index,status,value,step,durationMs,seed,learningRate,hiddenSize,error');
    expect(lines).toHaveLength(4);
    const cells = lines[3]!.split(',');
    expect(cells.slice(0, 2)).toEqual(['2', 'pruned']);
    expect(Number(cells[2])).toBe(pruned.value);
    expect(cells.slice(6, 8)).toEqual(['20', '16']);
    expect(cells.slice(8).join(',')).toBe(pruned.error);
  });

  it('scores returned metrics, keeps the first best on ties and fails trials without the metric', async () => {
    const result = await hyperparameterSearch({
      space: { x: choice([3, 1, 2, 1]) }, strategy: 'grid', seed: 0, objective: { metric: 'score', mode: 'max' }, parallelism: 2,
      runTrial: async ({ x }): Promise<Record<string, number>> => (x === 2 ? { other: 1 } : { score: x === 3 ? Number.NaN : 10 - x }),
    });
    expect(result.trials.map((t) => t.status)).toEqual(['failed', 'completed', 'failed', 'completed']);
    expect(result.trials[2]!.error).toBe('the trial returned no finite score (got undefined)');
    expect(result.best!.index).toBe(1);
  });

  it('quotes CSV cells that hold commas, quotes or newlines', async () => {
    const result = await hyperparameterSearch({
      space: { name: choice(['a,b', 'say "hi"']) }, strategy: 'grid', seed: 0, objective,
      runTrial: async ({ name }) => { if (name === 'a,b') throw new ConfigError('bad\nname'); return { eval_loss: 1 }; },
    });
    const csv = formatSearchResults(result, objective, 'csv').replace(/(failed|completed),(\d*),(\d*),\d+,\d+,/g, '$1,$2,$3,D,S,');
    expect(csv).toBe('index,status,value,step,durationMs,seed,name,error\n0,failed,,,D,S,"a,b","bad\nname"\n1,completed,1,,D,S,"say ""hi""",\n');
  });

  it('rejects bad options before running anything', async () => {
    const base = { space: { x: choice([1]) }, seed: 0, objective, runTrial: async () => ({ eval_loss: 0 }) };
    await expect(hyperparameterSearch({ ...base, strategy: 'random' })).rejects.toThrow(new RangeArgumentError('random search needs trials, an integer >= 1 (got undefined)'));
    await expect(hyperparameterSearch({ ...base, strategy: 'grid', trials: 3 })).rejects.toThrow(ConfigError);
    await expect(hyperparameterSearch({ ...base, strategy: 'grid', parallelism: 0 })).rejects.toThrow(RangeArgumentError);
    await expect(hyperparameterSearch({ ...base, strategy: 'grid', workerScript: 'w.js' })).rejects.toThrow(/exactly one of runTrial and workerScript \(got both\)/);
    await expect(hyperparameterSearch({ ...base, strategy: 'grid', seed: 0.5 })).rejects.toThrow(RangeArgumentError);
    await expect(hyperparameterSearch({ ...base, space: { x: uniformLiteral }, strategy: 'grid', gridPoints: 2 })).rejects.toThrow(/dimension "x"/);
  });
});

const uniformLiteral = { kind: 'uniform', low: 1, high: 0 } as const;
