import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/init-backend.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { AdamW } from '../../../src/training/adamw.js';
import { trainLoop } from '../../../src/training/train-loop.js';
import { caseLogits, fixtureCases, fixtureDir, haveFixtures, maxErrorAtValidPositions, seq2seqBatch, T5_FIXTURES } from './t5-fixture.js';

afterAll(async () => { await tf.setBackend('cpu'); });

describe.skipIf(!haveFixtures)('T5 on the wasm backend', () => {
  it('reproduces HF logits, generates as on cpu and fine-tunes step for step like cpu', async () => {
    const run = async (backend: 'cpu' | 'wasm'): Promise<{ tokens: number[][]; losses: number[] }> => {
      await initBackend({ backend });
      for (const name of T5_FIXTURES) {
        const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
        for (const c of fixtureCases(name)) {
          expect(maxErrorAtValidPositions(name, c, (await caseLogits(model, c)).data), `${backend} ${name}/${c.name}`).toBeLessThan(1e-4);
        }
        model.dispose();
      }
      const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir('t5-v1_1'));
      const tokens = await model.generate([[5, 6, 7, 1], [8, 1]], { maxNewTokens: 6, numBeams: 2 });
      const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3 });
      const batch = seq2seqBatch([[5, 6, 7, 8, 1], [9, 10, 11, 1, 0]], [[20, 21, 22, 1], [23, 24, 1, -100]], [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]]);
      const logs = await trainLoop(model, { optimizer, steps: 3, logEvery: 1, nextBatch: () => batch });
      optimizer.dispose();
      model.dispose();
      return { tokens, losses: logs.map((l) => l.loss) };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.tokens).toEqual(cpu.tokens);
    cpu.losses.forEach((loss, i) => expect(Math.abs(wasm.losses[i]! - loss), `step ${i + 1}`).toBeLessThan(1e-3));
  });
});
