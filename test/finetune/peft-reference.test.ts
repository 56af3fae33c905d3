import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LoRAModel } from '../../src/finetune/lora-model.js';
import { loadPeftAdapter } from '../../src/finetune/peft-adapter-file.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { gpt2WeightNames } from '../../src/models/gpt/gpt-hf-weights.js';
import { readFixture, type EncodedTensor } from '../helpers/fixtures.js';
import { HF_TINY_GPT2, maxAbsDiff } from './helpers.js';

// Written by scripts/fixtures/peft-gpt2-lora.py: a PEFT-layout adapter and the logits PyTorch gives
// for base + adapter, from first principles (checked against Hugging Face's own base logits).
const ADAPTER = fileURLToPath(new URL('../fixtures/peft-gpt2-lora/', import.meta.url));
const expected = readFixture<{ input_ids: number[][]; logits: EncodedTensor }>('peft-gpt2-lora.json');

describe('a PEFT adapter written in Python layout', () => {
  it('loads onto the hf-tiny GPT-2 and gives PyTorch logits, unmerged and merged', async () => {
    const base = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
    const lora = new LoRAModel(base);
    const tensorsBefore = tf.memory().numTensors;
    try {
      const adapter = await loadPeftAdapter(lora, ADAPTER, { huggingFaceNames: gpt2WeightNames(2) });
      expect(adapter.config).toMatchObject({ rank: 2, alpha: 6, dropout: 0 });
      expect(adapter.layers.size).toBe(8); // c_attn, attn.c_proj, c_fc, mlp.c_proj in 2 blocks
      const want = tf.tensor(expected.logits.data, expected.logits.shape);
      const logits = (): tf.Tensor => tf.tidy(() => base.logits(tf.tensor2d(expected.input_ids, undefined, 'int32'), { training: false }));
      const unmerged = logits();
      expect(maxAbsDiff(unmerged, want)).toBeLessThan(1e-4);
      lora.merge();
      const merged = logits();
      expect(maxAbsDiff(merged, want)).toBeLessThan(1e-4);
      expect(maxAbsDiff(merged, unmerged)).toBeLessThan(1e-5);
      lora.unmerge();
      tf.dispose([want, unmerged, merged]);
      lora.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore); // the adapter is freed, nothing leaked
    } finally {
      lora.dispose();
      base.dispose();
    }
  });
});
