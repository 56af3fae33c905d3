import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Callback, LogEntry } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early-stopping.js';
import { MetricsLogger } from '../../src/callbacks/metrics-logger.js';
import type { BatchSource } from '../../src/data/batch-source.js';
import type { CausalLMBatch } from '../../src/data/causal-lm-batch.js';
import { randomWindowSource } from '../../src/data/random-window-source.js';
import { sampleWindows } from '../../src/data/sample-windows.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { listCheckpoints } from '../../src/training/checkpoint.js';
import { Trainer, type TrainerOptions } from '../../src/training/trainer.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-trainer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tokens = Int32Array.from({ length: 600 }, (_, i) => (i * 7 + (i >> 2)) % 20);
const modelConfig = { vocabSize: 20, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8, seed: 3 };
const validation = [0, 1].map((i) => sampleWindows(tokens, { batchSize: 4, seqLength: 8, rng: new Rng(100 + i) }));

function setup(extra: Partial<TrainerOptions<CausalLMBatch>> = {}, dropout = 0) {
  const model = new GPTCausalLM({ ...modelConfig, dropout });
  const optimizer = new AdamW(model.namedParameters(), { learningRate: (s) => 0.01 / (1 + s), weightDecay: 0.1 });
  const trainer = new Trainer<CausalLMBatch>({
    model, optimizer, train: randomWindowSource(tokens, { batchSize: 4, seqLength: 8, seed: 9 }),
    maxSteps: 6, logEvery: 2, maxGradNorm: 1, gradientAccumulationSteps: 2,
    tokensInBatch: (b) => b.batchSize * b.seqLength, ...extra,
  });
  return { model, optimizer, trainer, dispose: () => { model.dispose(); optimizer.dispose(); } };
}

async function weights(model: GPTCausalLM): Promise<Map<string, Uint32Array>> {
  return new Map(await Promise.all(model.namedParameters().map(async ([n, v]) => [n, new Uint32Array((await v.data() as Float32Array).slice().buffer)] as const)));
}

describe('Trainer', () => {
  it('trains, logs at intervals, evaluates and reports why it stopped', async () => {
    const entries: LogEntry[] = [];
    const events: string[] = [];
    const recorder: Callback = {
      onTrainBegin: () => { events.push('begin'); }, onEpochBegin: () => { events.push('epoch'); },
      onLog: (e) => { entries.push(e); }, onEvaluate: (e) => { entries.push(e); events.push(`eval@${e.step}`); },
      onTrainEnd: () => { events.push('end'); },
    };
    const before = tf.memory().numTensors;
    const { trainer, dispose } = setup({ evaluation: { batches: () => validation, every: 3, metrics: () => ({ bleu: 12.5 }) }, callbacks: [recorder] });
    const state = await trainer.train();
    expect(state.step).toBe(6);
    expect(state.stopReason).toBe('reached maxSteps (6)');
    expect(entries.filter((e) => 'loss' in e.metrics).map((e) => e.step)).toEqual([2, 4, 6]);
    expect(events).toEqual(['begin', 'epoch', 'eval@3', 'eval@6', 'end']);
    const first = entries[0]!.metrics;
    expect(first.tokens_per_second).toBeGreaterThan(0);
    expect(first.learning_rate).toBeCloseTo(0.01 / 3, 8); // the rate the next (third) update uses
    const evals = entries.filter((e) => 'eval_loss' in e.metrics);
    expect(evals[1]!.metrics.eval_perplexity).toBeCloseTo(Math.exp(evals[1]!.metrics.eval_loss!), 6);
    expect(evals[1]!.metrics.eval_bleu).toBe(12.5);
    expect(state.logHistory).toHaveLength(5);
    dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from a checkpoint to exactly the weights of an uninterrupted run', async () => {
    const straight = setup({ checkpoint: { dir: join(tmp, 'straight') } });
    await straight.trainer.train();
    const expected = await weights(straight.model);
    straight.dispose();

    const dir = join(tmp, 'resumed');
    const first = setup({ maxSteps: 3, checkpoint: { dir } });
    await first.trainer.train();
    first.dispose();
    const second = setup({ checkpoint: { dir } });
    const state = await second.trainer.train('latest');
    expect(state.step).toBe(6);
    expect(await weights(second.model)).toEqual(expected);
    expect(state.logHistory.map((e) => e.step)).toEqual([2, 3, 4, 6]);
    second.dispose();
  });

  it('resumes exactly with dropout: the dropout generators are checkpointed too', async () => {
    const straight = setup({ checkpoint: { dir: join(tmp, 'straight-dropout') } }, 0.2);
    await straight.trainer.train();
    const expected = await weights(straight.model);
    straight.dispose();
    const dir = join(tmp, 'resumed-dropout');
    const first = setup({ maxSteps: 3, checkpoint: { dir } }, 0.2);
    await first.trainer.train();
    first.dispose();
    const second = setup({ checkpoint: { dir } }, 0.2);
    await second.trainer.train('latest');
    expect(await weights(second.model)).toEqual(expected);
    second.dispose();
  });

  it('checkpoints every N steps, keeps the last K and the best, atomically', async () => {
    const dir = join(tmp, 'keep');
    const saved: string[] = [];
    const { model, trainer, dispose } = setup({
      maxSteps: 8, evaluation: { batches: () => validation, every: 2 },
      checkpoint: { dir, every: 2, keepLast: 1, files: { 'tokenizer.json': '{"type":"CharTokenizer"}' } },
      callbacks: [{ onCheckpointSaved: (p) => { saved.push(p); } }],
    });
    const state = await trainer.train();
    const kept = (await listCheckpoints(dir)).map((c) => c.step);
    expect(kept).toContain(8);
    expect(kept).toContain(state.best!.step);
    expect(kept.length).toBeLessThanOrEqual(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]); // no temporary folders left
    expect(readFileSync(join(dir, 'checkpoint-8', 'tokenizer.json'), 'utf8')).toContain('CharTokenizer');
    const stateFile = JSON.parse(readFileSync(join(dir, 'checkpoint-8', 'trainer_state.json'), 'utf8'));
    expect(stateFile.trainer.options).toMatchObject({ maxSteps: 8, checkpointEvery: 2, keepLast: 1 });
    const reloaded = await GPTCausalLM.load(join(dir, 'checkpoint-8')); // a checkpoint is a model folder
    expect(reloaded.config).toEqual(model.config);
    expect(await weights(reloaded)).toEqual(await weights(model));
    reloaded.dispose();
    expect(saved.length).toBeGreaterThanOrEqual(4);
    dispose();
  });

  it('stops at the first non-finite loss and names its step', async () => {
    const { model, optimizer, dispose } = setup();
    let calls = 0;
    const poisoned = {
      namedParameters: () => model.namedParameters(),
      computeLoss: (b: CausalLMBatch, training: boolean) => (++calls === 7 ? tf.tidy(() => tf.mul(model.computeLoss(b, training), NaN) as tf.Scalar) : model.computeLoss(b, training)),
    };
    const trainer = new Trainer({ model: poisoned, optimizer, train: randomWindowSource(tokens, { batchSize: 2, seqLength: 8, seed: 1 }), maxSteps: 20, logEvery: 5 });
    const state = await trainer.train();
    expect(state.stopReason).toBe('non-finite loss (NaN) at step 7');
    expect(state.step).toBe(10); // detected at the next log interval
    dispose();
  });

  it('counts epochs over a finite source and evaluates at each epoch end', async () => {
    const batches = [0, 1, 2].map((i) => sampleWindows(tokens, { batchSize: 2, seqLength: 8, rng: new Rng(i) }));
    let position = 0;
    const finite: BatchSource<CausalLMBatch> = {
      startEpoch: () => { position = 0; },
      next: () => (position < batches.length ? batches[position++]! : null),
    };
    const evals: number[] = [];
    const { model, optimizer, dispose } = setup();
    const trainer = new Trainer({
      model, optimizer, train: finite, maxEpochs: 2, gradientAccumulationSteps: 2,
      evaluation: { batches: () => validation }, callbacks: [{ onEvaluate: (e) => { evals.push(e.step); } }],
    });
    const state = await trainer.train();
    // 3 batches, 2 per update: updates of 2 and 1 micro-batches per epoch
    expect(state.step).toBe(4);
    expect(state.epoch).toBe(2);
    expect(evals).toEqual([2, 4]);
    expect(state.stopReason).toBe('reached maxEpochs (2)');
    dispose();
  });

  it('early stopping stops after patience evaluations and restores the best weights', async () => {
    const scripted = [3, 2, 2.5, 2.4, 2.6];
    let evaluation = 0;
    const { model, optimizer, dispose } = setup();
    const stopper = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    let bestSnapshot: Map<string, Uint32Array> | undefined;
    const trainer = new Trainer({
      model, optimizer, train: randomWindowSource(tokens, { batchSize: 2, seqLength: 8, seed: 1 }), maxSteps: 20,
      evaluation: { batches: () => validation, every: 1 },
      callbacks: [
        { onEvaluate: async (e) => { (e.metrics as Record<string, number>).eval_loss = scripted[evaluation++]!; if (evaluation === 2) bestSnapshot = await weights(model); } },
        stopper,
      ],
    });
    const state = await trainer.train();
    expect(state.step).toBe(4);
    expect(stopper.bestStep).toBe(2);
    expect(stopper.stoppedStep).toBe(4);
    expect(state.stopReason).toMatch(/early stopping: eval_loss did not improve by more than 0 for 2 evaluation\(s\) \(best 2 at step 2\)/);
    expect(await weights(model)).toEqual(bestSnapshot);
    dispose();
  });

  it('writes metrics as JSON lines and CSV', async () => {
    const { trainer, dispose } = setup({
      evaluation: { batches: () => validation, every: 3 },
      callbacks: [new MetricsLogger({ path: join(tmp, 'logs/m.jsonl') }), new MetricsLogger({ path: join(tmp, 'logs/m.csv'), format: 'csv' })],
    });
    await trainer.train();
    const lines = readFileSync(join(tmp, 'logs/m.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([2, 3, 4, 6, 6]);
    const csv = readFileSync(join(tmp, 'logs/m.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('step,epoch,loss,learning_rate,grad_norm,tokens_per_second,ms_per_step,eval_loss,eval_perplexity');
    expect(csv).toHaveLength(6);
    dispose();
  });

  it('rejects bad options and impossible resumes with typed errors', async () => {
    const { model, optimizer, dispose } = setup();
    const train = randomWindowSource(tokens, { batchSize: 2, seqLength: 8, seed: 1 });
    expect(() => new Trainer({ model, optimizer, train })).toThrowError(ConfigError);
    expect(() => new Trainer({ model, optimizer, train, maxSteps: 2, logEvery: 0 })).toThrowError('logEvery (0) must be an integer >= 1');
    expect(() => new Trainer({ model, optimizer, train, maxSteps: 2, maxGradNorm: -1 })).toThrowError(RangeArgumentError);
    await expect(new Trainer({ model, optimizer, train, maxSteps: 2, checkpoint: { dir: join(tmp, 'none') } }).train('latest')).rejects.toThrowError(/no checkpoint to resume from/);
    const other = new GPTCausalLM({ ...modelConfig, numLayers: 2 });
    const otherOptimizer = new AdamW(other.namedParameters(), { learningRate: 0.01 });
    await expect(new Trainer({ model: other, optimizer: otherOptimizer, train, maxSteps: 2 }).train(join(tmp, 'resumed', 'checkpoint-6'))).rejects.toThrowError();
    other.dispose();
    otherOptimizer.dispose();
    dispose();
  });
});
