import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_NUMPY, compareWithNumpy, readSafetensorsByHand } from '../../helpers/safetensors-by-hand.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { BertForTokenClassification } from '../../../src/models/bert/bert-for-token-classification.js';
import { bertWeightTable } from '../../../src/models/bert/bert-hf-weights.js';
import { BertModel } from '../../../src/models/bert/bert-model.js';
import { StateDictError } from '../../../src/utils/errors.js';
import type { BertTaskModel } from '../../../src/models/bert/bert-task-model.js';
import { AdamW } from '../../../src/training/adamw.js';
import { writeCheckpoint } from '../../../src/training/checkpoint.js';
import type { BertVariant } from '../../../src/models/bert/bert-config.js';

const FAMILIES = ['bert', 'roberta', 'distilbert'] as const;
const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-bert-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function expectSameState(a: BertTaskModel, b: BertTaskModel): Promise<void> {
  const sa = a.stateDict();
  const sb = b.stateDict();
  expect(Object.keys(sb)).toEqual(Object.keys(sa));
  for (const [name, t] of Object.entries(sa)) {
    expect(sb[name]!.shape, name).toEqual(t.shape);
    expect(Buffer.from((await sb[name]!.data() as Float32Array).buffer).equals(Buffer.from((await t.data() as Float32Array).buffer)), name).toBe(true);
  }
}

async function expectSameLogits(a: BertTaskModel, b: BertTaskModel, inputIds: number[][], attentionMask: number[][]): Promise<void> {
  const la = a.logits({ inputIds, attentionMask });
  const lb = b.logits({ inputIds, attentionMask });
  expect(Array.from(await lb.data())).toEqual(Array.from(await la.data()));
  tf.dispose([la, lb]);
}

const INPUTS = [[2, 17, 33, 9, 3], [2, 40, 3, 0, 0]];
const MASK = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]];

describe.each(FAMILIES)('%s save and load', (family) => {
  it('writes the fixture\'s exact keys, shapes and bytes, and loads back bit for bit', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture(family));
    const out = join(tmp, `${family}-mlm`);
    await model.save(out);
    const theirs = readSafetensorsByHand(join(fixture(family), 'model.safetensors'));
    const ours = readSafetensorsByHand(join(out, 'model.safetensors'));
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort()); // tied decoder left out as HF does
    for (const [key, { shape, bytes }] of theirs) {
      expect(ours.get(key)!.dtype, key).toBe('F32');
      expect(ours.get(key)!.shape, key).toEqual(shape);
      expect(ours.get(key)!.bytes.equals(bytes), key).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(JSON.parse(model.checkpointFiles()['config.json']!)).toEqual(config); // Trainer checkpoints describe the model
    const hf = JSON.parse(readFileSync(join(fixture(family), 'config.json'), 'utf8'));
    expect(config.model_type).toBe(hf.model_type);
    expect(config.architectures).toEqual(hf.architectures);
    const again = await BertForMaskedLM.load(out);
    expect(again.config).toEqual(model.config);
    await expectSameState(model, again);
    await expectSameLogits(model, again, INPUTS, MASK);
    model.dispose();
    again.dispose();
  });

  it.each([
    ['sequence-classification', BertForSequenceClassification],
    ['token-classification', BertForTokenClassification],
  ] as const)('round-trips a %s model with the table\'s HF names', async (task, Model) => {
    const model = new Model({ variant: family as BertVariant, vocabSize: 64, hiddenSize: 16, numLayers: 2, numHeads: 2,
      intermediateSize: 24, maxPositions: 20, typeVocabSize: family === 'distilbert' ? 0 : 2, padTokenId: family === 'roberta' ? 1 : 0, numLabels: 3, seed: 7 });
    const out = join(tmp, `${family}-${task}`);
    await model.save(out);
    const keys = [...readSafetensorsByHand(join(out, 'model.safetensors')).keys()].sort();
    expect(keys).toEqual(bertWeightTable(model.config, task).map((w) => w.hf).sort());
    const again = await Model.load(out);
    expect(again.config).toEqual({ ...model.config, seed: 0 });
    await expectSameState(model, again);
    await expectSameLogits(model, again, INPUTS, MASK);
    model.dispose();
    again.dispose();
  });
});

describe.each(FAMILIES)('%s encoder alone (BertModel)', (family) => {
  it('loads the encoder of the MLM checkpoint (newHead) with the MLM model\'s hidden states, and round-trips as a base-model folder', async () => {
    await expect(BertModel.fromHuggingFace(fixture(family))).rejects.toThrowError(StateDictError); // heads in the file, pooler missing
    const encoder = await BertModel.fromHuggingFace(fixture(family), { newHead: true });
    const mlm = await BertForMaskedLM.fromHuggingFace(fixture(family));
    const a = encoder.forward({ inputIds: INPUTS, attentionMask: MASK }, false);
    const b = mlm.backbone.forward({ inputIds: INPUTS, attentionMask: MASK }, false);
    expect(Array.from(await a.hidden.data())).toEqual(Array.from(await b.hidden.data()));
    expect(a.pooled === undefined).toBe(family === 'distilbert');
    tf.dispose([a.hidden, a.pooled ?? [], b.hidden]);
    const out = join(tmp, `${family}-encoder`);
    await encoder.save(out);
    const keys = [...readSafetensorsByHand(join(out, 'model.safetensors')).keys()];
    expect(keys).toContain('embeddings.word_embeddings.weight'); // base-model files carry no prefix
    expect(keys.includes('pooler.dense.weight')).toBe(family !== 'distilbert');
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures)
      .toEqual([{ bert: 'BertModel', roberta: 'RobertaModel', distilbert: 'DistilBertModel' }[family]]);
    const again = await BertModel.fromHuggingFace(out);
    const sa = encoder.stateDict();
    for (const [name, t] of Object.entries(again.stateDict())) expect(Array.from(await t.data()), name).toEqual(Array.from(await sa[name]!.data()));
    [encoder, mlm, again].forEach((m) => m.dispose());
  });
});

describe('Trainer checkpoints', () => {
  it('a Trainer checkpoint (our parameter names + the model\'s config.json) loads with load()', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('roberta'));
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 1e-3 });
    const path = await writeCheckpoint(join(tmp, 'run'), model.namedParameters(), await optimizer.getState(),
      { step: 3, epoch: 0, trainer: {} }, model.checkpointFiles());
    const again = await BertForMaskedLM.load(path);
    const inputs = { inputIds: [[0, 17, 33, 9, 2, 1]], attentionMask: [[1, 1, 1, 1, 1, 0]] };
    const [a, b] = [model.logits(inputs), again.logits(inputs)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b]);
    optimizer.dispose();
    model.dispose();
    again.dispose();
  });

});

describe('saved files read with numpy (an independent reader)', () => {
  it.skipIf(!HAS_NUMPY)('numpy reads every tensor of the saved bert file equal to the HF fixture (skipped without /usr/bin/python3 + numpy)', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    const out = join(tmp, 'bert-numpy');
    await model.save(out);
    model.dispose();
    const { keys, sameKeys, equal } = compareWithNumpy(join(out, 'model.safetensors'), join(fixture('bert'), 'model.safetensors'));
    expect(sameKeys).toBe(true);
    expect(keys).toHaveLength(42);
    expect(Object.values(equal).every(Boolean)).toBe(true);
  });
});
