import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { CausalLMBatch } from '../../src/data/causal-lm-batch.js';
import type { MaskedLMBatch } from '../../src/data/masked-lm-batch.js';
import type { Seq2SeqBatch } from '../../src/data/seq2seq-batch.js';
import { LoRAModel } from '../../src/finetune/lora-model.js';
import { fromPretrained } from '../../src/models/auto/from-pretrained.js';
import { BertForMaskedLM } from '../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../src/models/bert/bert-for-sequence-classification.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { T5EncoderModel } from '../../src/models/t5/t5-encoder-model.js';
import { T5Seq2SeqLM } from '../../src/models/t5/t5-seq2seq-lm.js';
import { ConfigError } from '../../src/utils/errors.js';
import { lossAndGradients, worstDifference, type LossModel } from './loss-gradients.js';

// Tiny Hugging Face checkpoints (dropout 0.1 in each config, so the dropout replay is exercised).
const fixture = (family: string): string => fileURLToPath(new URL(`../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));

interface LoadedModel<B> extends LossModel<B> {
  setGradientCheckpointing(enabled: boolean): void;
  checkpointFiles(): Record<string, string>;
  readonly config: { readonly gradientCheckpointing?: boolean };
}

/** Kernels run during one training-gradient computation: more when the blocks run again in the backward pass. */
async function kernelsOfStep<B>(model: LoadedModel<B>, batch: B): Promise<number> {
  const profile = await tf.profile(() => { lossAndGradients(model, batch); });
  return profile.kernels.length;
}

/**
 * `load(true)` (the load option) against `load(false)`: the flag is set, not saved, gives the plain
 * model's loss and gradients (twice: dropout masks advance alike) without leaking; then
 * setGradientCheckpointing(false) and (true) switch the recomputation off and on again.
 */
async function expectLoadedFlagWorks<B>(load: (gradientCheckpointing: boolean) => Promise<LoadedModel<B>>, batch: B): Promise<void> {
  const plain = await load(false);
  const checkpointed = await load(true);
  expect(checkpointed.config.gradientCheckpointing).toBe(true);
  expect(checkpointed.checkpointFiles()['config.json']).not.toMatch(/gradient/i);
  const before = tf.memory().numTensors;
  for (let call = 0; call < 2; call++) {
    expect(worstDifference(lossAndGradients(checkpointed, batch), lossAndGradients(plain, batch)), `call ${call + 1}`).toBeLessThanOrEqual(1e-6);
  }
  expect(tf.memory().numTensors).toBe(before);
  const plainKernels = await kernelsOfStep(plain, batch);
  expect(await kernelsOfStep(checkpointed, batch)).toBeGreaterThan(plainKernels);
  checkpointed.setGradientCheckpointing(false);
  expect(checkpointed.config.gradientCheckpointing).toBe(false);
  expect(await kernelsOfStep(checkpointed, batch)).toBe(plainKernels);
  plain.setGradientCheckpointing(true);
  expect(await kernelsOfStep(plain, batch)).toBeGreaterThan(plainKernels);
  expect(worstDifference(lossAndGradients(plain, batch), lossAndGradients(checkpointed, batch))).toBeLessThanOrEqual(1e-6);
  expect(tf.memory().numTensors).toBe(before);
  expect(() => plain.setGradientCheckpointing('yes' as never)).toThrowError(ConfigError);
  expect(() => plain.setGradientCheckpointing('yes' as never)).toThrowError('gradientCheckpointing ("yes") must be true or false');
  plain.dispose();
  checkpointed.dispose();
}

const gptBatch: CausalLMBatch = {
  batchSize: 2, seqLength: 6,
  inputIds: Int32Array.from([5, 17, 300, 2, 9, 44, 1, 2, 3, 4, 5, 6]),
  labels: Int32Array.from([17, 300, 2, 9, 44, 8, 2, 3, 4, 5, 6, -100]),
};

describe('gradient checkpointing on loaded checkpoints', () => {
  it('GPT-2: GPTCausalLM.load(dir, { gradientCheckpointing }) and setGradientCheckpointing', async () => {
    await expectLoadedFlagWorks((gradientCheckpointing) => GPTCausalLM.load(fixture('gpt2'), { gradientCheckpointing }), gptBatch);
  });

  it('BERT: fromHuggingFace(dir, { gradientCheckpointing }) and setGradientCheckpointing on the masked LM', async () => {
    const ids = [2, 9, 4, 11, 7, 3, 2, 5, 4, 3, 0, 0];
    const batch: MaskedLMBatch = {
      batchSize: 2, seqLength: 6, inputIds: Int32Array.from(ids),
      labels: Int32Array.from(ids, (id, i) => (id === 4 ? 10 + (i % 5) : -100)),
      attentionMask: Uint8Array.from(ids, (id) => (id === 0 ? 0 : 1)),
    };
    await expectLoadedFlagWorks((gradientCheckpointing) => BertForMaskedLM.fromHuggingFace(fixture('bert'), { gradientCheckpointing }), batch);
  });

  it('T5: T5Seq2SeqLM.load(dir, { gradientCheckpointing }) and setGradientCheckpointing reach both stacks', async () => {
    const batch: Seq2SeqBatch = {
      batchSize: 2, sourceLength: 5, targetLength: 4,
      inputIds: Int32Array.from([5, 6, 7, 8, 1, 9, 10, 1, 0, 0]), attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
      labels: Int32Array.from([11, 12, 13, 1, 14, 1, -100, -100]),
    };
    await expectLoadedFlagWorks((gradientCheckpointing) => T5Seq2SeqLM.load(fixture('t5'), { gradientCheckpointing }), batch);
    const model = await T5Seq2SeqLM.load(fixture('t5'));
    model.setGradientCheckpointing(true);
    expect([model.backbone.encoder.config.gradientCheckpointing, model.backbone.decoder.config.gradientCheckpointing]).toEqual([true, true]);
    model.dispose();
  });

  it('fromPretrained passes the option to every family; the other task models and encoders take the setter', async () => {
    const before = tf.memory().numTensors;
    for (const family of ['gpt2', 'bert', 't5']) {
      const { model } = await fromPretrained(fixture(family), { gradientCheckpointing: true });
      expect(model.config.gradientCheckpointing, family).toBe(true);
      model.dispose();
    }
    const classifier = await BertForSequenceClassification.fromHuggingFace(fixture('bert'), { numLabels: 2, newHead: true });
    classifier.setGradientCheckpointing(true);
    expect(classifier.backbone.config.gradientCheckpointing).toBe(true);
    classifier.dispose();
    const encoder = await T5EncoderModel.fromHuggingFace(fixture('t5'), { gradientCheckpointing: true });
    expect(encoder.encoder.config.gradientCheckpointing).toBe(true);
    encoder.setGradientCheckpointing(false);
    expect([encoder.config.gradientCheckpointing, encoder.encoder.config.gradientCheckpointing]).toEqual([false, false]);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('still refuses LoRA adapters when turned on after loading, without leaking', async () => {
    const model = await GPTCausalLM.load(fixture('gpt2'));
    const lora = new LoRAModel(model);
    lora.addAdapter('default', { rank: 2, targetModules: ['attn.qkv'] });
    const before = tf.memory().numTensors;
    model.computeLoss(gptBatch, true).dispose(); // trains the adapters without recomputation
    model.setGradientCheckpointing(true);
    expect(() => model.computeLoss(gptBatch, true)).toThrowError(/adapter hook on attn\.qkv/);
    expect(tf.memory().numTensors).toBe(before);
    lora.dispose();
    model.dispose();
  });
});
