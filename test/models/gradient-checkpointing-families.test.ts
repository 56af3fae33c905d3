import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { MaskedLMBatch } from '../../src/data/masked-lm-batch.js';
import type { Seq2SeqBatch } from '../../src/data/seq2seq-batch.js';
import { resolveBertConfig } from '../../src/models/bert/bert-config.js';
import { BertForMaskedLM } from '../../src/models/bert/bert-for-masked-lm.js';
import { resolveT5Config } from '../../src/models/t5/t5-config.js';
import { T5Seq2SeqLM } from '../../src/models/t5/t5-seq2seq-lm.js';
import { lossAndGradients, type LossModel } from './loss-gradients.js';

interface SavedLossModel<B> extends LossModel<B> {
  checkpointFiles(): Record<string, string>;
}

/** Kernels run and peak bytes above the start during one training-gradient computation. */
async function profileStep<B>(model: SavedLossModel<B>, batch: B): Promise<{ kernels: number; peakBytes: number }> {
  const start = tf.memory().numBytes;
  const profile = await tf.profile(() => { lossAndGradients(model, batch); });
  return { kernels: profile.kernels.length, peakBytes: profile.peakBytes - start };
}

/** Builds the model plain and with the flag; checks loss and every gradient agree, twice (masks advance alike). */
async function expectSameGradients<B>(build: (gradientCheckpointing: boolean) => SavedLossModel<B>, batch: B): Promise<void> {
  const plain = build(false);
  const checkpointed = build(true);
  expect(checkpointed.checkpointFiles()['config.json']).not.toMatch(/gradient/i); // a runtime flag, as in Hugging Face
  const before = tf.memory().numTensors;
  const firstLosses: number[] = [];
  for (let call = 0; call < 2; call++) {
    const expected = lossAndGradients(plain, batch);
    const actual = lossAndGradients(checkpointed, batch);
    firstLosses.push(expected[0]![0]!);
    expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
    const worst = Math.max(...actual.flatMap((a, i) => a.map((v, j) => Math.abs(v - expected[i]![j]!))));
    expect(worst, `call ${call + 1}`).toBeLessThanOrEqual(1e-6);
  }
  expect(firstLosses[1]).not.toBe(firstLosses[0]); // dropout drew new masks on the second call
  expect(tf.memory().numTensors).toBe(before);
  // the flag is live: the blocks run a second time in the backward pass, and the step's peak is lower
  const [plainRun, recomputedRun] = [await profileStep(plain, batch), await profileStep(checkpointed, batch)];
  expect(recomputedRun.kernels).toBeGreaterThan(plainRun.kernels);
  expect(recomputedRun.peakBytes).toBeLessThan(plainRun.peakBytes);
  plain.dispose();
  checkpointed.dispose();
}

describe('gradientCheckpointing on BERT and T5', () => {
  it('BERT: validated optional flag; masked-LM gradients equal the plain model\'s with dropout', async () => {
    expect(resolveBertConfig({ vocabSize: 8, gradientCheckpointing: true }).gradientCheckpointing).toBe(true);
    expect(() => resolveBertConfig({ vocabSize: 8, gradientCheckpointing: 'yes' as never }))
      .toThrowError('gradientCheckpointing ("yes") must be true or false');
    const ids = [2, 9, 4, 11, 7, 3, 2, 5, 4, 3, 0, 0];
    const batch: MaskedLMBatch = {
      batchSize: 2, seqLength: 6, inputIds: Int32Array.from(ids),
      labels: Int32Array.from(ids, (id, i) => (id === 4 ? 10 + (i % 5) : -100)),
      attentionMask: Uint8Array.from(ids, (id) => (id === 0 ? 0 : 1)),
    };
    await expectSameGradients((gradientCheckpointing) => new BertForMaskedLM({
      vocabSize: 20, hiddenSize: 16, numLayers: 2, numHeads: 2, maxPositions: 8, hiddenDropout: 0.2, attentionDropout: 0.1,
      seed: 3, gradientCheckpointing,
    }), batch);
  });

  it('T5: validated optional flag; seq2seq gradients (encoder through cross-attention, relative bias) equal the plain model\'s with dropout', async () => {
    expect(resolveT5Config({ vocabSize: 8, gradientCheckpointing: false }).gradientCheckpointing).toBe(false);
    expect(() => resolveT5Config({ vocabSize: 8, gradientCheckpointing: 0 as never }))
      .toThrowError('gradientCheckpointing (0) must be true or false');
    const batch: Seq2SeqBatch = {
      batchSize: 2, sourceLength: 5, targetLength: 4,
      inputIds: Int32Array.from([5, 6, 7, 8, 1, 9, 10, 1, 0, 0]), attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
      labels: Int32Array.from([11, 12, 13, 1, 14, 1, -100, -100]),
    };
    await expectSameGradients((gradientCheckpointing) => new T5Seq2SeqLM({
      vocabSize: 20, hiddenSize: 16, headDim: 4, numHeads: 2, intermediateSize: 24, numLayers: 2, numDecoderLayers: 2,
      relativeAttentionNumBuckets: 8, relativeAttentionMaxDistance: 16, dropout: 0.2, seed: 5, gradientCheckpointing,
    }), batch);
  });
});
