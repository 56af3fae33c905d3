import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/init-backend.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';

afterAll(async () => { await tf.setBackend('cpu'); });

const folder = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const read = (family: string, name: string) => JSON.parse(readFileSync(`${folder(family)}${name}`, 'utf8'));

describe('BERT family on the wasm backend', () => {
  it.each(['bert', 'roberta', 'distilbert'])('%s reproduces the HF logits of its padded case and trains without leaks', async (family) => {
    await initBackend({ backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    const model = await BertForMaskedLM.fromHuggingFace(folder(family));
    const cases = read(family, 'inputs.json').cases as Array<{ name: string; inputs: { input_ids: number[][]; attention_mask?: number[][]; token_type_ids?: number[][] } }>;
    const c = cases.at(-1)!;
    const want = read(family, `logits_${c.name}.json`) as { shape: [number, number, number]; data: number[] };
    const logits = model.logits({
      inputIds: c.inputs.input_ids,
      ...(c.inputs.attention_mask ? { attentionMask: c.inputs.attention_mask } : {}),
      ...(c.inputs.token_type_ids ? { tokenTypeIds: c.inputs.token_type_ids } : {}),
    });
    const got = await logits.data();
    const [, t, v] = want.shape;
    let maxErr = 0;
    for (let n = 0; n < got.length; n++) {
      const position = Math.floor(n / v);
      if (c.inputs.attention_mask?.[Math.floor(position / t)]![position % t] === 0) continue;
      maxErr = Math.max(maxErr, Math.abs(got[n]! - Math.fround(want.data[n]!)));
    }
    expect(maxErr).toBeLessThan(1e-4);
    logits.dispose();
    const before = tf.memory().numTensors;
    const batch = { batchSize: 1, seqLength: 4, inputIds: Int32Array.of(2, 4, 9, 3), labels: Int32Array.of(-100, 7, -100, -100) };
    const { value, grads } = tf.variableGrads(() => model.computeLoss(batch, true), model.trainableVariables());
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
