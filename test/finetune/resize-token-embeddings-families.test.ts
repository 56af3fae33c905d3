import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resizeTokenEmbeddings, type ResizableVocabulary } from '../../src/finetune/resize-token-embeddings.js';
import type { Module } from '../../src/layers/module.js';
import { BertForMaskedLM } from '../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../src/models/bert/bert-for-sequence-classification.js';
import { BertModel } from '../../src/models/bert/bert-model.js';
import { T5EncoderModel } from '../../src/models/t5/t5-encoder-model.js';
import { T5Seq2SeqLM } from '../../src/models/t5/t5-seq2seq-lm.js';
import { ShapeError } from '../../src/utils/errors.js';
import { bitwiseEqual, maxAbsDiff } from './helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../shared/fixtures/hf-tiny/${name}/`, import.meta.url));

/** Ids below every fixture's vocabulary (smallest: 160), none of them RoBERTa's pad (1). */
const OLD_IDS = [[4, 31, 100, 27, 150, 5], [2, 9, 77, 3, 120, 6]];
const EXTRA = 7;

type Owner = Module & ResizableVocabulary & { readonly config: { readonly vocabSize: number }; save(dir: string): Promise<void> };

/** A family's model, how to load it and run it, and whether its output has a vocabulary axis. */
interface Case<M extends Owner> {
  readonly name: string;
  readonly fixture: string;
  load(dir: string): Promise<M>;
  reload(dir: string): Promise<M>;
  /** Output for `ids` (T5: the same ids on both sides); the caller disposes it. */
  run(model: M, ids: number[][]): tf.Tensor;
  /** Whether the last axis of `run`'s output is the vocabulary. */
  readonly vocabAxis: boolean;
}

const t5Run = (model: T5Seq2SeqLM, ids: number[][]): tf.Tensor => tf.tidy(() => model.logits({
  inputIds: tf.tensor2d(ids, undefined, 'int32'),
  decoderInputIds: tf.tensor2d(ids.map((row) => [0, ...row.slice(0, -1)]), undefined, 'int32'), // decoder start 0, shifted
}));

const mlm = (name: string): Case<BertForMaskedLM> => ({
  name: `BertForMaskedLM (${name})`, fixture: name, vocabAxis: true,
  load: (dir) => BertForMaskedLM.fromHuggingFace(dir), reload: (dir) => BertForMaskedLM.load(dir),
  run: (model, ids) => model.logits({ inputIds: ids }),
});
const seq2seq = (name: string): Case<T5Seq2SeqLM> => ({
  name: `T5Seq2SeqLM (${name})`, fixture: name, vocabAxis: true,
  load: (dir) => T5Seq2SeqLM.fromHuggingFace(dir), reload: (dir) => T5Seq2SeqLM.load(dir), run: t5Run,
});

const CASES: Case<Owner>[] = [
  mlm('bert'), mlm('roberta'), mlm('distilbert'),
  {
    name: 'BertForSequenceClassification (bert, new head)', fixture: 'bert', vocabAxis: false,
    load: (dir) => BertForSequenceClassification.fromHuggingFace(dir, { newHead: true, numLabels: 3, seed: 1 }),
    reload: (dir) => BertForSequenceClassification.fromHuggingFace(dir),
    run: (model, ids) => (model as BertForSequenceClassification).logits({ inputIds: ids }),
  } satisfies Case<BertForSequenceClassification> as Case<Owner>,
  {
    name: 'BertModel (roberta encoder)', fixture: 'roberta', vocabAxis: false,
    load: (dir) => BertModel.fromHuggingFace(dir, { newHead: true, seed: 1 }), reload: (dir) => BertModel.fromHuggingFace(dir),
    run: (model, ids) => (model as BertModel).forward({ inputIds: ids }, false).hidden,
  } satisfies Case<BertModel> as Case<Owner>,
  seq2seq('t5') as Case<Owner>, seq2seq('t5-v1_1') as Case<Owner>,
  {
    name: 'T5EncoderModel (t5)', fixture: 't5', vocabAxis: false,
    load: (dir) => T5EncoderModel.fromHuggingFace(dir), reload: (dir) => T5EncoderModel.fromHuggingFace(dir),
    run: (model, ids) => (model as T5EncoderModel).forward(tf.tensor2d(ids, undefined, 'int32'), { training: false }),
  } satisfies Case<T5EncoderModel> as Case<Owner>,
];

const copyOf = (t: tf.Tensor): Float32Array => t.dataSync().slice() as Float32Array;
/** The first `count` entries along axis 0 (rows of a table, entries of a bias), read back. */
const leading = (t: tf.Tensor, count: number): Float32Array =>
  tf.tidy(() => tf.slice(t, 0, count).dataSync() as Float32Array);

describe.each(CASES)('resizeTokenEmbeddings on $name', (c) => {
  it(`grows by ${EXTRA}: old outputs and rows unchanged, new ids accepted, save -> load identical, no leak`, async () => {
    const model = await c.load(fixture(c.fixture));
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-resize-family-'));
    const loose: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => { loose.push(t); return t; };
    try {
      const vocab = model.config.vocabSize;
      const grown = vocab + EXTRA;
      const table = model.inputEmbeddings();
      expect(table.numEmbeddings).toBe(vocab);
      const oldTable = copyOf(table.weight);
      const head = model.outputEmbeddings?.();
      const oldHead = head === undefined ? undefined : tf.tidy(() => copyOf(tf.transpose(head.weight))); // [V, D]
      const bias = model.outputBias?.();
      const oldBias = bias === undefined ? undefined : copyOf(bias.bias);
      const before = keep(c.run(model, OLD_IDS));

      const tensors = tf.memory().numTensors;
      await resizeTokenEmbeddings(model, grown, { seed: 3 });
      expect(tf.memory().numTensors).toBe(tensors);

      expect(model.config.vocabSize).toBe(grown);
      expect(model.inputEmbeddings().weight.shape).toEqual([grown, table.dim]);
      expect(bitwiseEqual(leading(model.inputEmbeddings().weight, vocab), oldTable)).toBe(true);
      if (oldHead !== undefined) {
        const newHead = model.outputEmbeddings?.();
        expect(newHead?.outFeatures).toBe(grown);
        expect(bitwiseEqual(tf.tidy(() => leading(tf.transpose(newHead!.weight), vocab)), oldHead)).toBe(true);
      }
      if (oldBias !== undefined) {
        const newBias = model.outputBias!()!.bias;
        expect(newBias.shape).toEqual([grown]);
        expect(bitwiseEqual(leading(newBias, vocab), oldBias)).toBe(true);
        expect(Array.from(tf.tidy(() => tf.slice(newBias, vocab).dataSync()))).toEqual(new Array(EXTRA).fill(0)); // HF pads with zeros
      }

      const after = keep(c.run(model, OLD_IDS));
      if (c.vocabAxis) {
        expect(after.shape).toEqual([...before.shape.slice(0, -1), grown]);
        expect(maxAbsDiff(keep(tf.slice(after, [0, 0, 0], [-1, -1, vocab])), before)).toBeLessThanOrEqual(1e-6);
      } else {
        expect(maxAbsDiff(after, before)).toBeLessThanOrEqual(1e-6);
      }

      const newIds = [[4, vocab, 31, grown - 1, 27, 5], [vocab + 3, 9, 77, 3, 120, 6]];
      const fresh = keep(c.run(model, newIds));
      expect(fresh.shape[0]).toBe(2);
      expect(tf.tidy(() => tf.all(tf.isFinite(fresh)).dataSync()[0])).toBe(1);

      await model.save(dir);
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).vocab_size).toBe(grown);
      const loaded = await c.reload(dir);
      try {
        expect(loaded.config.vocabSize).toBe(grown);
        expect(maxAbsDiff(keep(c.run(loaded, newIds)), fresh)).toBe(0);
        expect(maxAbsDiff(keep(c.run(loaded, OLD_IDS)), after)).toBe(0);
      } finally {
        loaded.dispose();
      }
    } finally {
      tf.dispose(loose);
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('setVocabSize throws a ShapeError when the size disagrees with the table', async () => {
    const model = await c.load(fixture(c.fixture));
    try {
      const vocab = model.config.vocabSize;
      expect(() => model.setVocabSize(vocab + 1)).toThrow(ShapeError);
      expect(model.config.vocabSize).toBe(vocab); // unchanged after the refusal
      model.setVocabSize(vocab); // agreeing: accepted
      expect(model.config.vocabSize).toBe(vocab);
    } finally {
      model.dispose();
    }
  });
});

/** Replaces the token table by one with `extra` more (zero) rows, nothing else; returns the old size. */
function growTableByHand(model: Owner, extra: number): number {
  const vocab = model.config.vocabSize;
  const table = model.inputEmbeddings();
  const bigger = tf.zeros([vocab + extra, table.dim]);
  table.setWeight(bigger);
  bigger.dispose();
  return vocab;
}

describe('resizeTokenEmbeddings families: vocabulary-sized heads must follow the table', () => {
  it('BertForMaskedLM refuses a size its decoder bias does not have', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    try {
      const vocab = growTableByHand(model, 2); // bias left at [V]
      expect(() => model.setVocabSize(vocab + 2)).toThrow(/decoder bias/);
      expect(model.config.vocabSize).toBe(vocab);
    } finally {
      model.dispose();
    }
  });

  it('T5Seq2SeqLM v1.1 refuses a size its untied lmHead does not have; new ids pass generate', async () => {
    const model = await T5Seq2SeqLM.fromHuggingFace(fixture('t5-v1_1'));
    try {
      const vocab = growTableByHand(model, 2); // lmHead left at [D, V]
      expect(() => model.setVocabSize(vocab + 2)).toThrow(ShapeError);
      await resizeTokenEmbeddings(model, vocab + 2); // the head catches up
      expect(model.lmHead?.outFeatures).toBe(vocab + 2);
      const [out] = await model.generate([[vocab, vocab + 1, 1]], { maxNewTokens: 2, eosTokenId: [] });
      expect(out).toHaveLength(2);
      expect(out!.every((id) => id >= 0 && id < vocab + 2)).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('shrinking BertForMaskedLM cuts the decoder bias with the table', async () => {
    const model = await BertForMaskedLM.fromHuggingFace(fixture('distilbert'));
    try {
      const vocab = model.config.vocabSize;
      const oldBias = copyOf(model.head.bias);
      await resizeTokenEmbeddings(model, vocab - 10);
      expect(model.head.bias.shape).toEqual([vocab - 10]);
      expect(bitwiseEqual(copyOf(model.head.bias), oldBias.slice(0, vocab - 10))).toBe(true);
      expect(model.config.vocabSize).toBe(vocab - 10);
    } finally {
      model.dispose();
    }
  });
});
