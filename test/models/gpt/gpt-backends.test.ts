import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/init-backend.js';
import { sampleWindows } from '../../../src/data/sample-windows.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../../src/training/adamw.js';
import { trainLoop, type TrainLog } from '../../../src/training/train-loop.js';
import { Rng } from '../../../src/utils/rng.js';

afterAll(async () => { await tf.setBackend('cpu'); });

/** Trains the same tiny GPT from the same seed on the same data and returns every step's loss. */
async function train(backend: 'cpu' | 'wasm'): Promise<number[]> {
  await initBackend({ backend });
  const tokens = Int32Array.from({ length: 2000 }, (_, i) => (i * 7 + (i >> 3)) % 50);
  const model = new GPTCausalLM({ vocabSize: 50, hiddenSize: 32, numLayers: 2, numHeads: 4, contextLength: 16, seed: 11 });
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 1e-2 });
  const rng = new Rng(3);
  const logs: TrainLog[] = [];
  const before = tf.memory().numTensors;
  await trainLoop(model, {
    optimizer, steps: 8, logEvery: 1, maxGradNorm: 1,
    nextBatch: () => sampleWindows(tokens, { batchSize: 4, seqLength: 16, rng }),
    onLog: (l) => { logs.push(l); },
  });
  optimizer.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  return logs.map((l) => l.loss);
}

describe('GPT training on wasm', () => {
  it('follows the cpu backend step for step, with wordforge kernels', async () => {
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(cpu[7]).toBeLessThan(cpu[0]! - 0.3); // it learns
    cpu.forEach((loss, i) => expect(Math.abs(wasm[i]! - loss), `step ${i + 1}`).toBeLessThan(1e-3 * Math.max(1, i)));
  });
});
