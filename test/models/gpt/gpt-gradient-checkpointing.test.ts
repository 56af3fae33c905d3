import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Callback, LogEntry } from '../../../src/callbacks/callback.js';
import type { CausalLMBatch } from '../../../src/data/causal-lm-batch.js';
import { randomWindowSource } from '../../../src/data/random-window-source.js';
import { sampleWindows } from '../../../src/data/sample-windows.js';
import { LoRAModel } from '../../../src/finetune/lora-model.js';
import { resolveGPTConfig } from '../../../src/models/gpt/gpt-config.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../../src/training/adamw.js';
import { Trainer } from '../../../src/training/trainer.js';
import { ConfigError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';
import { lossAndGradients, worstDifference } from '../loss-gradients.js';

const tokens = Int32Array.from({ length: 800 }, (_, i) => (i * 7 + (i >> 2)) % 30);
const config = { vocabSize: 30, hiddenSize: 16, numLayers: 3, numHeads: 2, contextLength: 12, seed: 4 };
const batch = sampleWindows(tokens, { batchSize: 3, seqLength: 12, rng: new Rng(1) });
const paddedBatch: CausalLMBatch = { ...batch, attentionMask: Uint8Array.from(batch.inputIds, (_, i) => (i % 12 < 9 ? 1 : 0)) };

describe('GPT gradientCheckpointing', () => {
  it('is an optional boolean runtime flag, not written to config.json', () => {
    expect(resolveGPTConfig({ vocabSize: 8 }).gradientCheckpointing).toBeUndefined();
    const on = resolveGPTConfig({ vocabSize: 8, gradientCheckpointing: true });
    expect(on.gradientCheckpointing).toBe(true);
    expect(resolveGPTConfig(JSON.parse(JSON.stringify(on)))).toEqual(on);
    expect(() => resolveGPTConfig({ vocabSize: 8, gradientCheckpointing: 1 as never }))
      .toThrowError('gradientCheckpointing (1) must be true or false');
    const model = new GPTCausalLM({ ...config, gradientCheckpointing: true });
    expect(Object.keys(model.configJSON())).not.toContain('gradientCheckpointing');
    expect(Object.keys(model.configJSON())).not.toContain('gradient_checkpointing');
    model.dispose();
  });

  for (const dropout of [0, 0.2]) {
    it(`gives the loss and gradients of every variable of the plain model (dropout ${dropout}, padded batch)`, () => {
      const plain = new GPTCausalLM({ ...config, dropout });
      const checkpointed = new GPTCausalLM({ ...config, dropout, gradientCheckpointing: true });
      const before = tf.memory().numTensors;
      for (const b of [batch, paddedBatch]) {
        const expected = lossAndGradients(plain, b);
        const actual = lossAndGradients(checkpointed, b);
        expect(worstDifference(actual, expected)).toBeLessThanOrEqual(1e-6);
        expect(expected.slice(1).every((g) => g.some((v) => v !== 0))).toBe(true); // every variable is trained
      }
      expect(tf.memory().numTensors).toBe(before);
      if (dropout > 0) { // the masks were live: the next call draws others
        expect(lossAndGradients(plain, batch)[0]![0]).not.toBe(lossAndGradients(checkpointed, paddedBatch)[0]![0]);
      }
      plain.dispose();
      checkpointed.dispose();
    });
  }

  it('trains through the Trainer as the plain model does, step for step, without leaking', async () => {
    const run = async (gradientCheckpointing: boolean): Promise<number[]> => {
      const before = tf.memory().numTensors;
      const model = new GPTCausalLM({ ...config, dropout: 0.1, gradientCheckpointing });
      const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.01 });
      const losses: number[] = [];
      const recorder: Callback = { onLog: (e: LogEntry) => { if (e.metrics.loss !== undefined) losses.push(e.metrics.loss); } };
      const trainer = new Trainer<CausalLMBatch>({
        model, optimizer, train: randomWindowSource(tokens, { batchSize: 4, seqLength: 12, seed: 2 }),
        maxSteps: 6, logEvery: 1, maxGradNorm: 1, callbacks: [recorder],
      });
      await trainer.train();
      model.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return losses;
    };
    const plain = await run(false);
    const checkpointed = await run(true);
    expect(plain.length).toBe(6);
    expect(plain[5]).toBeLessThan(plain[0]!);
    checkpointed.forEach((loss, i) => expect(Math.abs(loss - plain[i]!), `step ${i + 1}`).toBeLessThan(1e-5));
  });

  it('turns on for an existing model also by rebuilding it with the flag and copying the weights', () => {
    const loaded = new GPTCausalLM({ ...config, seed: 9 });
    const rebuilt = new GPTCausalLM({ ...loaded.config, gradientCheckpointing: true });
    rebuilt.loadStateDict(loaded.stateDict());
    expect(worstDifference(lossAndGradients(rebuilt, batch), lossAndGradients(loaded, batch))).toBeLessThanOrEqual(1e-6);
    loaded.dispose();
    rebuilt.dispose();
  });

  it('leaves generation unchanged', async () => {
    const plain = new GPTCausalLM(config);
    const checkpointed = new GPTCausalLM({ ...config, gradientCheckpointing: true });
    const options = { maxNewTokens: 5, doSample: true, seed: 3 };
    expect(await checkpointed.generate([[1, 2, 3]], options)).toEqual(await plain.generate([[1, 2, 3]], options));
    plain.dispose();
    checkpointed.dispose();
  });

  it('lowers the peak tfjs memory of a training step', async () => {
    const deep = { vocabSize: 30, hiddenSize: 32, numLayers: 6, numHeads: 4, contextLength: 32, seed: 1 };
    const b = sampleWindows(tokens, { batchSize: 4, seqLength: 32, rng: new Rng(2) });
    const peak = async (gradientCheckpointing: boolean): Promise<number> => {
      const model = new GPTCausalLM({ ...deep, gradientCheckpointing });
      const start = tf.memory().numBytes;
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => model.computeLoss(b, true), model.trainableVariables());
        tf.dispose([value, ...Object.values(grads)]);
      });
      model.dispose();
      return profile.peakBytes - start;
    };
    expect(await peak(true)).toBeLessThan(0.7 * await peak(false));
  });

  it('refuses LoRA adapters, whose weights the blocks cannot see', () => {
    const model = new GPTCausalLM({ ...config, gradientCheckpointing: true });
    const lora = new LoRAModel(model);
    lora.addAdapter('default', { rank: 2, targetModules: ['attn.qkv'] });
    const before = tf.memory().numTensors;
    expect(() => model.computeLoss(batch, true)).toThrowError(/adapter hook on attn\.qkv/);
    expect(tf.memory().numTensors).toBe(before);
    lora.dispose();
    model.dispose();
  });
});
