import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTokens } from '../../src/finetune/add-tokens.js';
import { freezeEmbeddings } from '../../src/finetune/freeze.js';
import { resizeTokenEmbeddings } from '../../src/finetune/resize-token-embeddings.js';
import { Embedding } from '../../src/layers/embedding.js';
import { Linear } from '../../src/layers/linear.js';
import { Module } from '../../src/layers/module.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { BPE } from '../../src/tokenizers/bpe.js';
import { Tokenizer } from '../../src/tokenizers/tokenizer.js';
import { RangeArgumentError, ShapeError, VocabularyError } from '../../src/utils/errors.js';
import { bitwiseEqual, HF_TINY_GPT2, maxAbsDiff } from './helpers.js';

const INPUT = [[5, 17, 200, 3, 99, 42, 319, 1]];
const logitsOf = (model: GPTCausalLM): tf.Tensor => tf.tidy(() => model.logits(tf.tensor2d(INPUT, undefined, 'int32'), { training: false }));
const rowsOf = (t: tf.Tensor, start: number, count: number): Float32Array => tf.tidy(() => tf.slice(t, [start, 0], [count, -1]).dataSync() as Float32Array);

/** A model with an untied head, to resize both tables. */
class UntiedLM extends Module {
  readonly embed = new Embedding(10, 4, { seed: 1 });
  readonly head = new Linear(4, 10, { seed: 2 });
  vocabSize = 10;
  inputEmbeddings(): Embedding { return this.embed; }
  outputEmbeddings(): Linear { return this.head; }
  setVocabSize(size: number): void { this.vocabSize = size; }
}

describe('resizeTokenEmbeddings', () => {
  it('grows the hf-tiny GPT-2 vocabulary: old rows bitwise, old logits unchanged, save -> load keeps it', async () => {
    const model = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-resize-'));
    try {
      freezeEmbeddings(model);
      const oldTable = model.backbone.tokenEmbedding.weight.dataSync().slice() as Float32Array;
      const before = logitsOf(model);
      const tensors = tf.memory().numTensors;
      await resizeTokenEmbeddings(model, 330, { seed: 7 });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(model.config.vocabSize).toBe(330);
      expect(model.backbone.tokenEmbedding.weight.shape).toEqual([330, 64]);
      expect(model.backbone.tokenEmbedding.weight.trainable).toBe(false); // flag kept
      expect(bitwiseEqual(rowsOf(model.backbone.tokenEmbedding.weight, 0, 320), oldTable)).toBe(true);
      const after = logitsOf(model);
      expect(after.shape).toEqual([1, 8, 330]);
      const oldColumns = tf.slice(after, [0, 0, 0], [-1, -1, 320]);
      expect(maxAbsDiff(oldColumns, before)).toBeLessThanOrEqual(1e-6);

      await model.save(dir);
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).vocab_size).toBe(330);
      const loaded = await GPTCausalLM.load(dir);
      const reloaded = logitsOf(loaded);
      expect(maxAbsDiff(reloaded, after)).toBe(0);
      expect(await loaded.generate([[320, 329]], { maxNewTokens: 2 })).toHaveLength(1); // new ids pass the vocabulary check
      loaded.dispose();
      tf.dispose([before, after, oldColumns, reloaded]);
    } finally {
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws mean-covariance rows near the old mean, reproducibly per seed; mean and sub-token averages exactly', async () => {
    const make = async (init: Parameters<typeof resizeTokenEmbeddings>[2]): Promise<UntiedLM> => {
      const m = new UntiedLM();
      await resizeTokenEmbeddings(m, 12, init);
      return m;
    };
    const a = await make({ seed: 1 });
    const b = await make({ seed: 1 });
    const c = await make({ seed: 2 });
    const mean = await make({ init: 'mean' });
    const sub = await make({ init: { subTokens: [[1, 3], [7]] } });
    const table = (m: UntiedLM): tf.Tensor => m.embed.weight;
    expect(bitwiseEqual(rowsOf(table(a), 10, 2), rowsOf(table(b), 10, 2))).toBe(true);
    expect(bitwiseEqual(rowsOf(table(a), 10, 2), rowsOf(table(c), 10, 2))).toBe(false);
    const oldMean = tf.tidy(() => tf.mean(tf.slice(table(a), [0, 0], [10, -1]), 0, true));
    const spread = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(table(a), [10, 0], [2, -1]), oldMean))).dataSync()[0] as number);
    expect(spread).toBeGreaterThan(0); // drawn, not the mean itself
    expect(spread).toBeLessThan(0.02 * Math.sqrt(1e-5) * 8); // within ~8 scaled standard deviations
    const meanRows = tf.tidy(() => tf.slice(table(mean), [10, 0], [2, -1]));
    expect(maxAbsDiff(meanRows, tf.concat([oldMean, oldMean]))).toBeLessThan(1e-7);
    const expected = tf.tidy(() => tf.stack([tf.mean(tf.gather(table(sub), [1, 3]), 0), tf.gather(table(sub), 7)]));
    expect(maxAbsDiff(tf.slice(table(sub), [10, 0], [2, -1]), expected)).toBeLessThan(1e-7);
    tf.dispose([oldMean, meanRows, expected]);
    for (const m of [a, b, c, mean, sub]) m.dispose();
  });

  it('grows and shrinks an untied head with its bias', async () => {
    const m = new UntiedLM();
    const oldHead = m.head.weight.dataSync().slice() as Float32Array;
    tf.tidy(() => m.head.bias!.assign(tf.range(0, 10)));
    const tensors = tf.memory().numTensors;
    await resizeTokenEmbeddings(m, 13, { init: 'mean' });
    await resizeTokenEmbeddings(m, 15, { init: { subTokens: [[1, 2], [3]] } });
    await resizeTokenEmbeddings(m, 13, { init: 'mean-covariance' });
    expect(tf.memory().numTensors).toBe(tensors); // grown, cut and grown again, nothing leaked
    expect(m.vocabSize).toBe(13);
    expect(m.head.weight.shape).toEqual([4, 13]);
    expect(m.head.outFeatures).toBe(13);
    const oldCols = tf.tidy(() => tf.slice(m.head.weight, [0, 0], [-1, 10]).dataSync() as Float32Array);
    expect(bitwiseEqual(oldCols, oldHead)).toBe(true);
    expect(Array.from(m.head.bias!.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4.5, 4.5, 4.5]);
    const y = m.head.forward(tf.ones([2, 4]));
    expect(y.shape).toEqual([2, 13]);
    y.dispose();
    await resizeTokenEmbeddings(m, 8);
    expect([m.embed.weight.shape, m.head.weight.shape, m.head.bias!.shape]).toEqual([[8, 4], [4, 8], [8]]);
    const tableCols = tf.tidy(() => tf.slice(m.head.weight, [0, 0], [-1, 8]).dataSync() as Float32Array);
    expect(bitwiseEqual(tableCols, oldCols.filter((_, i) => i % 10 < 8))).toBe(true);
    m.dispose();
  });

  it('rejects bad sizes and sub-token lists with typed errors, changing nothing', async () => {
    const m = new UntiedLM();
    await expect(resizeTokenEmbeddings(m, 0)).rejects.toThrow(RangeArgumentError);
    await expect(resizeTokenEmbeddings(m, 12, { init: { subTokens: [[1]] } })).rejects.toThrow(/2 non-empty id lists/);
    await expect(resizeTokenEmbeddings(m, 11, { init: { subTokens: [[10]] } })).rejects.toThrow(VocabularyError);
    expect(m.embed.weight.shape).toEqual([10, 4]);
    expect(() => m.embed.setWeight(tf.zeros([3, 5]))).toThrow(ShapeError);
    m.dispose();
  });
});

describe('addTokens', () => {
  const base = (): Tokenizer => new Tokenizer({ model: new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']] }) });

  it('gives new tokens the next ids, keeps known ones, and encodes them whole', () => {
    const tokenizer = base();
    const { tokenizer: extended, ids, numAdded } = addTokens(tokenizer, ['<poem>', 'ab', 'qq', '<poem>'], { special: true });
    expect(ids).toEqual([3, 2, 4, 3]);
    expect(numAdded).toBe(2);
    expect(extended.vocabSize).toBe(5);
    expect(tokenizer.vocabSize).toBe(3); // the original is untouched
    expect(extended.encode('ab<poem>aqq').ids).toEqual([2, 3, 0, 4]);
    expect(extended.decode([2, 3, 4], { skipSpecialTokens: true })).not.toContain('<poem>');
    const { tokenizer: more, ids: moreIds } = addTokens(extended, ['zz']);
    expect(moreIds).toEqual([5]);
    expect(more.added.byText('zz')).toMatchObject({ special: false, normalized: true });
    expect(() => addTokens(tokenizer, [''])).toThrow(VocabularyError);
  });
});
