import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { SequenceClassificationBatch, TokenClassificationBatch } from '../../../src/data/classification-batch.js';
import type { MaskedLMBatch } from '../../../src/data/masked-lm-batch.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { BertForTokenClassification } from '../../../src/models/bert/bert-for-token-classification.js';
import { crossEntropy } from '../../../src/ops/cross-entropy.js';
import { AdamW } from '../../../src/training/adamw.js';
import { optimizationStep, type TrainableModel } from '../../../src/training/optimization-step.js';

const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-bert-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `steps` AdamW updates on one batch; returns the losses read after each step. */
async function train<B>(model: TrainableModel<B>, batch: B, steps: number, learningRate: number): Promise<number[]> {
  const optimizer = new AdamW(model.namedParameters(), { learningRate, weightDecay: 0.01 });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { loss, gradNorm } = await optimizationStep(model, optimizer, () => batch, 1);
    losses.push((await loss.data())[0]!);
    tf.dispose([loss, gradNorm]);
  }
  optimizer.dispose();
  return losses;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

// Two rows of the bert fixture's vocabulary; every third token masked (id 4), the second row padded.
const ORIGINAL = [2, 31, 223, 106, 27, 211, 131, 142, 203, 135, 96, 3, 2, 152, 29, 143, 3, 171, 88, 3, 0, 0, 0, 0];
const MASKED_AT = ORIGINAL.map((id, i) => i % 3 === 1 && id !== 0);
const mlmBatch: MaskedLMBatch = {
  batchSize: 2, seqLength: 12,
  inputIds: Int32Array.from(ORIGINAL, (id, i) => (MASKED_AT[i] ? 4 : id)),
  labels: Int32Array.from(ORIGINAL, (id, i) => (MASKED_AT[i] ? id : -100)),
  attentionMask: Uint8Array.from(ORIGINAL, (id) => (id === 0 ? 0 : 1)),
  tokenTypeIds: Int32Array.from(ORIGINAL, (_, i) => (i % 12 >= 6 ? 1 : 0)),
};

describe('BERT fine-tuning', () => {
  it('masked-LM loss equals cross-entropy of the logits at labelled positions', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    const loss = model.computeLoss(mlmBatch, false);
    const logits = model.logits({
      inputIds: tf.tensor2d(mlmBatch.inputIds, [2, 12], 'int32'), attentionMask: tf.tensor2d(mlmBatch.attentionMask!, [2, 12], 'int32'),
      tokenTypeIds: tf.tensor2d(mlmBatch.tokenTypeIds!, [2, 12], 'int32'),
    });
    const values = await logits.data();
    let total = 0;
    let count = 0;
    for (let n = 0; n < 24; n++) {
      if (!MASKED_AT[n]) continue;
      const row = Array.from(values.slice(n * 288, (n + 1) * 288));
      const max = Math.max(...row);
      total += max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) - row[ORIGINAL[n]!]!;
      count++;
    }
    expect((await loss.data())[0]).toBeCloseTo(total / count, 4);
    tf.dispose([loss, logits]);
    tf.disposeVariables();
  });

  it('20 AdamW steps of MLM on the HF bert checkpoint lower the loss; save and reload give the same logits', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    const losses = await train(model, mlmBatch, 20, 2e-3);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-3))).toBeLessThan(0.5 * mean(losses.slice(0, 3)));
    const out = join(tmp, 'mlm-tuned');
    await model.save(out);
    const again = await BertForMaskedLM.load(out);
    const inputs = { inputIds: [ORIGINAL.slice(0, 12), ORIGINAL.slice(12)], attentionMask: [Array(12).fill(1), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]] };
    const [a, b] = [model.logits(inputs), again.logits(inputs)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b]);
    model.dispose();
    again.dispose();
  });

  it.each(['bert', 'roberta', 'distilbert'] as const)('sequence classification fine-tuned from the %s MLM checkpoint (new head) learns its labels', async (family) => {
    const model = await BertForSequenceClassification.fromHuggingFace(fixture(family), { newHead: true, numLabels: 3, seed: 5 });
    const pad = model.config.padTokenId;
    const rows = [[2, 31, 44, 3, pad], [2, 57, 91, 12, 3], [2, 8, 3, pad, pad], [2, 77, 21, 66, 3]];
    const batch: SequenceClassificationBatch = {
      batchSize: 4, seqLength: 5, inputIds: Int32Array.from(rows.flat()),
      attentionMask: Uint8Array.from(rows.flat(), (id, i) => (i % 5 > 0 && id === pad ? 0 : 1)),
      labels: Int32Array.of(0, 1, 2, 1),
    };
    const evalLoss = async (): Promise<number> => {
      const loss = model.computeLoss(batch, false); // without dropout: comparable before and after
      const value = (await loss.data())[0]!;
      loss.dispose();
      return value;
    };
    const before = await evalLoss();
    await train(model, batch, 15, 1e-2);
    expect(await evalLoss()).toBeLessThan(0.5 * before);
    model.dispose();
  });

  it('Float32 labels train a regression head with the mean squared error', async () => {
    const model = new BertForSequenceClassification({ vocabSize: 40, hiddenSize: 16, numLayers: 1, numHeads: 2, numLabels: 2, seed: 3 });
    const batch: SequenceClassificationBatch = {
      batchSize: 2, seqLength: 4, inputIds: Int32Array.of(2, 5, 6, 3, 2, 9, 3, 0), attentionMask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 0),
      labels: Float32Array.of(0.5, -1, 2, 0.25),
    };
    const loss = model.computeLoss(batch, false);
    const logits = model.logits({ inputIds: [[2, 5, 6, 3], [2, 9, 3, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]] });
    const l = await logits.data();
    expect((await loss.data())[0]).toBeCloseTo(mean(Array.from(l, (x, i) => (x - batch.labels[i]!) ** 2)), 5);
    tf.dispose([loss, logits]);
    const losses = await train(model, batch, 15, 1e-2);
    expect(mean(losses.slice(-3))).toBeLessThan(0.5 * mean(losses.slice(0, 3)));
    model.dispose();
  });

  it('token classification loss skips ignored labels and falls with training', async () => {
    const model = new BertForTokenClassification({ variant: 'distilbert', typeVocabSize: 0, vocabSize: 40, hiddenSize: 16, numLayers: 1, numHeads: 2, numLabels: 4, seed: 4 });
    const batch: TokenClassificationBatch = {
      batchSize: 2, seqLength: 4, inputIds: Int32Array.of(2, 5, 6, 3, 2, 9, 3, 0), attentionMask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 0),
      labels: Int32Array.of(-100, 1, 2, -100, -100, 3, -100, -100),
    };
    const loss = model.computeLoss(batch, false);
    const logits = model.logits({ inputIds: [[2, 5, 6, 3], [2, 9, 3, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]] });
    const expected = crossEntropy(logits, tf.tensor2d(batch.labels, [2, 4], 'int32'));
    expect((await loss.data())[0]).toBeCloseTo((await expected.data())[0]!, 6);
    tf.dispose([loss, logits, expected]);
    const losses = await train(model, batch, 15, 1e-2);
    expect(mean(losses.slice(-3))).toBeLessThan(0.5 * mean(losses.slice(0, 3)));
    model.dispose();
  });
});
