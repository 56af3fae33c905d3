import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { t5EncoderInputs } from '../../../src/models/t5/t5-encoder-inputs.js';
import { T5RelativePositionBias } from '../../../src/models/t5/t5-relative-position-bias.js';
import { t5ShiftRight } from '../../../src/models/t5/t5-shift-right.js';
import { AdamW } from '../../../src/training/adamw.js';
import { trainLoop } from '../../../src/training/train-loop.js';
import { ShapeError, VocabularyError } from '../../../src/utils/errors.js';
import { readFixture } from '../../helpers/fixtures.js';
import { HAS_NUMPY, compareWithNumpy, readSafetensorsByHand } from '../../helpers/safetensors-by-hand.js';
import { caseLogits, fixtureCases, fixtureDir, haveFixtures, readJSON, seq2seqBatch, T5_FIXTURES } from './t5-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-t5-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface LossRef { inputIds: number[][]; attentionMask: number[][]; labels: number[][]; loss: number }
const losses = readFixture<{ losses: Record<string, LossRef> }>('t5-generation.json').losses;

describe.skipIf(!haveFixtures)('T5Seq2SeqLM on the Hugging Face fixtures', () => {
  for (const name of T5_FIXTURES) {
    it(`${name}: computeLoss equals HF's loss (labels shifted right, -100 ignored), and explicit decoder inputs agree`, async () => {
      const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
      const r = losses[name]!;
      const batch = seq2seqBatch(r.inputIds, r.labels, r.attentionMask);
      const before = tf.memory().numTensors;
      const loss = model.computeLoss(batch, false);
      expect(await loss.data()).toHaveLength(1);
      expect(Math.abs((await loss.data())[0]! - r.loss)).toBeLessThan(1e-5);
      const decoderInputIds = t5ShiftRight(batch.labels, batch.batchSize, batch.targetLength, 0, 0);
      const explicit = model.computeLoss({ ...batch, decoderInputIds }, false);
      expect((await explicit.data())[0]).toBe((await loss.data())[0]);
      tf.dispose([loss, explicit]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });

    it(`${name}: saves HF's keys, shapes and bytes; loads back bit for bit; config readable as HF's`, async () => {
      const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
      const dir = join(tmp, name);
      await model.save(dir);
      const ours = readSafetensorsByHand(join(dir, 'model.safetensors'));
      const theirs = readSafetensorsByHand(`${fixtureDir(name)}model.safetensors`);
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [key, t] of theirs) {
        const o = ours.get(key)!;
        expect(o.dtype, key).toBe('F32');
        expect(o.shape, key).toEqual(t.shape);
        expect(o.bytes.equals(t.bytes), key).toBe(true);
      }
      // Every key we write means the same to HF as in the fixture's full config.
      const full = readJSON<Record<string, unknown>>(name, 'config.full.json');
      const written = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(written)) expect(value, key).toEqual(full[key]);
      expect(model.checkpointFiles()['config.json']).toBe(readFileSync(join(dir, 'config.json'), 'utf8'));

      const again = await T5Seq2SeqLM.load(dir);
      expect(again.config).toEqual(model.config);
      for (const [param, v] of model.namedParameters()) {
        expect(Buffer.from((await again.stateDict()[param]!.data()).buffer).equals(Buffer.from((await v.data()).buffer)), param).toBe(true);
      }
      const c = fixtureCases(name)[0]!;
      expect((await caseLogits(again, c)).data).toEqual((await caseLogits(model, c)).data);
      again.dispose();
      model.dispose();
    });
  }

  it.skipIf(!HAS_NUMPY)("numpy reads our safetensors as the fixture's (skipped when /usr/bin/python3 with numpy is unavailable)", async () => {
    const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir('t5-v1_1'));
    const dir = join(tmp, 'numpy');
    await model.save(dir);
    model.dispose();
    const { sameKeys, equal } = compareWithNumpy(join(dir, 'model.safetensors'), `${fixtureDir('t5-v1_1')}model.safetensors`);
    expect(sameKeys).toBe(true);
    expect(Object.keys(equal)).toContain('lm_head.weight');
    expect(Object.values(equal).every(Boolean)).toBe(true);
  });
});

describe('T5Seq2SeqLM (tiny, random)', () => {
  const config = { vocabSize: 30, hiddenSize: 12, headDim: 5, numHeads: 2, intermediateSize: 16, numLayers: 1, numDecoderLayers: 2, dropout: 0.1, seed: 4 };

  it('leaks nothing in forward (with dropout), backward and generation', async () => {
    const model = new T5Seq2SeqLM({ ...config, activation: 'gelu_tanh', gatedFeedForward: true, tieWordEmbeddings: false });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 1e-3 });
    const batch = seq2seqBatch([[3, 4, 5, 1]], [[6, 7, 1]]);
    await trainLoop(model, { optimizer, steps: 1, nextBatch: () => batch });
    const before = tf.memory().numTensors;
    tf.tidy(() => { model.computeLoss(batch, true); });
    expect(tf.memory().numTensors).toBe(before);
    await trainLoop(model, { optimizer, steps: 2, maxGradNorm: 1, nextBatch: () => batch });
    expect(tf.memory().numTensors).toBe(before);
    await model.generate([[3, 4, 1], [5, 1]], { maxNewTokens: 5, numBeams: 2 });
    await model.generate([[3, 4, 1]], { maxNewTokens: 5, doSample: true, topP: 0.9, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects bad inputs with typed errors naming the values', async () => {
    const model = new T5Seq2SeqLM(config);
    expect(() => model.computeLoss(seq2seqBatch([[3, 30]], [[1]]), false)).toThrowError('inputIds[1] = 30 is outside the vocabulary [0, 30)');
    expect(() => model.computeLoss(seq2seqBatch([[3]], [[1, -5]]), false)).toThrowError(VocabularyError);
    expect(() => model.computeLoss({ ...seq2seqBatch([[3]], [[1]]), labels: Int32Array.from([1, 2]) }, false)).toThrowError(ShapeError);
    const ids = tf.tensor1d([1, 2], 'int32');
    expect(() => model.logits({ inputIds: ids, decoderInputIds: ids })).toThrowError(ShapeError);
    ids.dispose();
    await expect(model.generate([[3, 99]], { maxNewTokens: 1 })).rejects.toThrowError('inputIds[0][1] = 99 is outside the vocabulary [0, 30)');
    expect(() => model.stream([[]], { maxNewTokens: 1 })).toThrowError(ShapeError);
    model.dispose();
  });
});

describe('t5EncoderInputs', () => {
  const ids = { vocabSize: 30, padTokenId: 0, eosTokenId: 1 };
  it('right-pads rows and masks padding and pad tokens, as HF generate; an explicit mask wins', () => {
    expect(t5EncoderInputs([[5, 6, 1], [7, 1]], undefined, ids)).toEqual({ ids: [[5, 6, 1], [7, 1, 0]], mask: [[1, 1, 1], [1, 1, 0]] });
    expect(t5EncoderInputs([5, 0, 1], undefined, ids).mask).toEqual([[1, 0, 1]]);
    expect(t5EncoderInputs([5, 0, 1], [[1, 1, 1]], ids).mask).toEqual([[1, 1, 1]]);
    expect(t5EncoderInputs([5, 0, 1], undefined, { ...ids, eosTokenId: 0 }).mask).toEqual([[1, 1, 1]]);
    expect(() => t5EncoderInputs([[5, 6]], [[1]], ids)).toThrowError(ShapeError);
    expect(() => t5EncoderInputs([[5, 30]], undefined, ids)).toThrowError(VocabularyError);
  });
});

describe('T5RelativePositionBias', () => {
  it('is [1, H, T, S]; a cached query at offset p equals row p of the full table; leaks nothing', async () => {
    const bias = new T5RelativePositionBias(8, 3, { bidirectional: false, maxDistance: 16, initStd: 1, seed: 1 });
    const before = tf.memory().numTensors;
    const full = bias.forward(6, 6);
    const step = bias.forward(1, 6, 5);
    expect(full.shape).toEqual([1, 3, 6, 6]);
    expect(step.shape).toEqual([1, 3, 1, 6]);
    const row = tf.slice(full, [0, 0, 5, 0], [1, 3, 1, 6]);
    expect(await step.data()).toEqual(await row.data());
    // Head h at (query 0, key 0) is weight[bucket 0][h].
    expect((await full.data())[0]).toBe((await bias.weight.data())[0]);
    tf.dispose([full, step, row]);
    expect(tf.memory().numTensors).toBe(before);
    bias.dispose();
  });
});

describe('t5ShiftRight', () => {
  it('puts the start token first, shifts labels right and turns -100 into pad', () => {
    expect([...t5ShiftRight(Int32Array.from([5, 6, -100, 7, -100, -100]), 2, 3, 9, 0)]).toEqual([9, 5, 6, 9, 7, 0]);
  });
});
