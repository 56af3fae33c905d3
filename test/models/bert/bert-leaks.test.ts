import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { BertVariant } from '../../../src/models/bert/bert-config.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { BertForTokenClassification } from '../../../src/models/bert/bert-for-token-classification.js';

const VARIANTS: BertVariant[] = ['bert', 'roberta', 'distilbert'];
const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));

const config = (variant: BertVariant) => ({
  variant, vocabSize: 30, hiddenSize: 8, numLayers: 2, numHeads: 2, intermediateSize: 12, maxPositions: 16,
  typeVocabSize: variant === 'distilbert' ? 0 : 2, padTokenId: variant === 'roberta' ? 1 : 0, numLabels: 3, seed: 1,
});
const inputs = {
  batchSize: 2, seqLength: 4, inputIds: Int32Array.of(2, 5, 6, 3, 2, 9, 3, 0), attentionMask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 0),
};

/** Runs `f` and checks that the number of live tensors is unchanged afterwards. */
async function expectNoLeak(f: () => void | Promise<void>): Promise<void> {
  const before = tf.memory().numTensors;
  await f();
  expect(tf.memory().numTensors).toBe(before);
}

/** Forward (inference and training mode, tensor and array inputs) and one gradient computation. */
async function checkModel(model: BertForMaskedLM | BertForSequenceClassification | BertForTokenClassification, batch: object): Promise<void> {
  const ids = tf.tensor2d([[2, 5, 6, 3], [2, 9, 3, 0]], undefined, 'int32');
  await expectNoLeak(() => {
    tf.dispose([
      model.logits({ inputIds: ids }),
      model.logits({ inputIds: [[2, 5, 6, 3], [2, 9, 3, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]] }, { training: true }),
    ]);
  });
  await expectNoLeak(() => {
    const { value, grads } = tf.variableGrads(() => (model.computeLoss as (b: object, t: boolean) => tf.Scalar)(batch, true), model.trainableVariables());
    expect(Object.keys(grads).length).toBe(model.trainableVariables().length);
    tf.dispose([value, ...Object.values(grads)]);
  });
  await expectNoLeak(() => {
    expect(() => model.logits({ inputIds: ids, attentionMask: [[1, 1, 1]] })).toThrow(); // a failing call frees what it made
  });
  ids.dispose();
}

describe.each(VARIANTS)('%s models free every tensor they make', (variant) => {
  it('masked LM: forward and backward', async () => {
    const model = new BertForMaskedLM(config(variant));
    await checkModel(model, { ...inputs, labels: Int32Array.of(-100, 5, -100, -100, -100, 9, -100, -100) });
    await expectNoLeak(async () => { // no labelled position: loss 0, still differentiable
      const loss = model.computeLoss({ ...inputs, labels: new Int32Array(8).fill(-100) }, false);
      expect((await loss.data())[0]).toBe(0);
      loss.dispose();
    });
    model.dispose();
  });

  it('sequence classification: forward and backward, classes and regression', async () => {
    const model = new BertForSequenceClassification(config(variant));
    await checkModel(model, { ...inputs, labels: Int32Array.of(0, 2) });
    await checkModel(model, { ...inputs, labels: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6) });
    model.dispose();
  });

  it('token classification: forward and backward', async () => {
    const model = new BertForTokenClassification(config(variant));
    await checkModel(model, { ...inputs, labels: Int32Array.of(-100, 1, 2, -100, -100, 0, -100, -100) });
    model.dispose();
  });

  it('loading from Hugging Face keeps only the model\'s parameters; dispose frees them', async () => {
    const before = tf.memory().numTensors;
    const model = await BertForMaskedLM.fromHuggingFace(fixture(variant));
    expect(tf.memory().numTensors).toBe(before + model.parameters().length); // the file's tensors were freed
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expectNoLeak(async () => {
      await expect(BertForTokenClassification.fromHuggingFace(fixture(variant))).rejects.toThrow(/missing keys: classifier\.weight/);
    });
  });
});
