import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWindowSource } from '../../src/data/random-window-source.js';
import { LoRAModel } from '../../src/finetune/lora-model.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { Trainer } from '../../src/training/trainer.js';
import { bitwiseEqual, HF_TINY_GPT2, snapshot } from './helpers.js';

const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 320);

/** A LoRA model on the hf-tiny GPT-2 with its Trainer (LoRA dropout on, so the random state matters). */
async function setup(dir: string, maxSteps: number) {
  const base = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
  const lora = new LoRAModel(base);
  lora.addAdapter('default', { rank: 2, alpha: 4, dropout: 0.1, seed: 3 });
  const optimizer = new AdamW(lora.namedParameters(), { learningRate: 1e-2 });
  const trainer = new Trainer({
    model: lora, optimizer, maxSteps, logEvery: 1,
    train: randomWindowSource(tokens, { batchSize: 2, seqLength: 16, seed: 0 }),
    checkpoint: { dir, every: 2, keepLast: 3 },
  });
  const dispose = (): void => {
    optimizer.dispose();
    lora.dispose();
    base.dispose();
  };
  return { base, lora, trainer, dispose };
}

describe('LoRA with the Trainer', () => {
  it('trains only the adapter, checkpoints it, and resumes to the same weights as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-lora-trainer-'));
    try {
      const straight = await setup(join(dir, 'straight'), 4);
      const frozen = snapshot(straight.base.namedParameters());
      const state = await straight.trainer.train();
      expect(state.step).toBe(4);
      for (const [name, v] of straight.base.namedParameters()) expect([name, bitwiseEqual(frozen.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, true]);
      const finalWeights = snapshot(straight.lora.namedParameters());
      straight.dispose();

      const first = await setup(join(dir, 'resumed'), 2);
      await first.trainer.train();
      first.dispose();
      const tensors = tf.memory().numTensors;
      const second = await setup(join(dir, 'resumed'), 4);
      const resumed = await second.trainer.train('latest');
      expect(resumed.step).toBe(4);
      for (const [name, v] of second.lora.namedParameters()) {
        expect([name, bitwiseEqual(finalWeights.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, true]);
      }
      second.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
