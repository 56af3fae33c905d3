import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  badWords, bannedBadWordTokens, bannedNGramTokens, logitBias, MASKED_LOGIT, minP, noRepeatNGram, penalizeLogits,
  presenceFrequencyPenalty, processLogits, repetitionPenalty, typicalP,
} from '../../src/generation/index.js';
import { RangeArgumentError, VocabularyError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';

const M = MASKED_LOGIT;

async function values(t: tf.Tensor): Promise<number[][]> {
  const out = (await t.array()) as number[][];
  t.dispose();
  return out;
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/** Hugging Face's TypicalLogitsWarper, written out in plain JS (float64) as the reference. */
function typicalKept(row: number[], mass: number): Set<number> {
  const p = softmax(row);
  const entropy = -p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
  const dist = p.map((x) => Math.abs(-Math.log(x) - entropy));
  const order = row.map((_, i) => i).sort((a, b) => dist[a]! - dist[b]!);
  let cum = 0;
  let last = 0;
  for (const i of order) {
    cum += p[i]!;
    if (cum < mass) last++;
  }
  last = Math.min(last, row.length - 1);
  const limit = dist[order[last]!]!;
  return new Set(order.filter((i) => dist[i]! <= limit));
}

describe('minP', () => {
  it('keeps tokens at least p times as likely as the best one', async () => {
    expect(await values(minP(tf.tensor2d([[0, 2, 1]]), 0.3))).toEqual([[M, 2, 1]]);
    expect(await values(minP(tf.tensor2d([[0, 2, 1]]), 0.4))).toEqual([[M, 2, M]]);
    expect(await values(minP(tf.tensor2d([[0, 2, 1]]), 0))).toEqual([[0, 2, 1]]);
    expect(await values(minP(tf.tensor2d([[0, 2, 1]]), 1))).toEqual([[M, 2, M]]);
  });

  it('agrees with the probability-ratio definition on random rows', async () => {
    const rng = new Rng(4);
    const rows = Array.from({ length: 30 }, () => Array.from({ length: 10 }, () => 2 * rng.nextNormal()));
    for (const p of [0.01, 0.1, 0.5]) {
      const out = await values(minP(tf.tensor2d(rows), p));
      out.forEach((row, r) => {
        const probs = softmax(rows[r]!);
        const top = Math.max(...probs);
        row.forEach((v, i) => expect(v === M).toBe(probs[i]! < p * top));
      });
    }
  });
});

describe('typicalP', () => {
  it('agrees with a plain implementation of Hugging Face TypicalLogitsWarper', async () => {
    const rng = new Rng(8);
    const rows = Array.from({ length: 30 }, () => Array.from({ length: 12 }, () => 2 * rng.nextNormal()));
    for (const mass of [0.2, 0.5, 0.9, 0.99]) {
      const out = await values(typicalP(tf.tensor2d(rows), mass));
      out.forEach((row, r) => {
        const kept = typicalKept(rows[r]!, mass);
        row.forEach((v, i) => expect(v === M, `mass ${mass} row ${r} token ${i}`).toBe(!kept.has(i)));
      });
    }
  });

  it('keeps the dominant token of a peaked row and everything at p = 1', async () => {
    expect(await values(typicalP(tf.tensor2d([[5, 0, 0, 0]]), 0.5))).toEqual([[5, M, M, M]]);
    expect(await values(typicalP(tf.tensor2d([[5, 0, 0, 0]]), 1))).toEqual([[5, 0, 0, 0]]);
  });
});

describe('repetitionPenalty', () => {
  it('divides positive and multiplies negative logits of seen tokens, once whatever the count', async () => {
    const x = tf.tensor2d([[2, -2, 1, 4], [2, -2, 1, 4]]);
    expect(await values(repetitionPenalty(x, [[0, 1, 0, 0], []], 2))).toEqual([[1, -4, 1, 4], [2, -2, 1, 4]]);
    expect(await values(repetitionPenalty(x, [[3], [1]], 0.5))).toEqual([[2, -2, 1, 8], [2, -1, 1, 4]]);
    expect(() => repetitionPenalty(x, [[4], []], 2)).toThrow(VocabularyError);
    expect(() => repetitionPenalty(x, [[0], []], 0)).toThrow(/repetitionPenalty \(0\)/);
    x.dispose();
  });
});

describe('presenceFrequencyPenalty', () => {
  it('subtracts count · frequency + presence, OpenAI style', async () => {
    const x = tf.tensor2d([[1, 1, 1]]);
    expect(await values(presenceFrequencyPenalty(x, [[0, 0, 2]], { presencePenalty: 0.5, frequencyPenalty: 0.25 })))
      .toEqual([[0, 1, 0.25]]);
    expect(await values(presenceFrequencyPenalty(x, [[1]], { presencePenalty: -1 }))).toEqual([[1, 2, 1]]);
    expect(() => presenceFrequencyPenalty(x, [[1]], { frequencyPenalty: NaN })).toThrow(/frequencyPenalty \(NaN\)/);
    x.dispose();
  });
});

describe('no-repeat n-gram', () => {
  it('bans the tokens that would repeat an n-gram, as Hugging Face', () => {
    expect(bannedNGramTokens([1, 2, 3, 1, 2], 3)).toEqual([3]);
    expect(bannedNGramTokens([1, 2, 1, 3, 1], 2)).toEqual([2, 3]);
    expect(bannedNGramTokens([1, 2, 1], 1)).toEqual([1, 2]);
    expect(bannedNGramTokens([1], 3)).toEqual([]);
    expect(bannedNGramTokens([5, 5], 3)).toEqual([]);
    expect(bannedNGramTokens([5, 5, 5], 3)).toEqual([5]);
  });

  it('masks them per row', async () => {
    const x = tf.zeros([2, 4]);
    expect(await values(noRepeatNGram(x, [[1, 2, 3, 1, 2], [0, 0]], 2))).toEqual([[0, 0, 0, M], [M, 0, 0, 0]]);
    expect(() => noRepeatNGram(x, [[1], [1]], 0)).toThrow(RangeArgumentError);
    x.dispose();
  });
});

describe('badWords', () => {
  it('bans single tokens always and the last token of a sequence after its prefix', async () => {
    expect(bannedBadWordTokens([4, 7], [[5], [7, 8], [9, 9]])).toEqual([5, 8]);
    expect(bannedBadWordTokens([], [[1, 2]])).toEqual([]);
    const x = tf.zeros([2, 4]);
    expect(await values(badWords(x, [[1], [2]], [[0], [1, 2], [1, 1, 3]]))).toEqual([[M, 0, M, 0], [M, 0, 0, 0]]);
    expect(await values(badWords(x, [[1, 1], [2]], [[1, 1, 3]]))).toEqual([[0, 0, 0, M], [0, 0, 0, 0]]);
    expect(() => badWords(x, [[1], [2]], [[]])).toThrow(/badWordsIds\[0\]/);
    expect(() => badWords(x, [[1], [2]], [[9]])).toThrow(VocabularyError);
    x.dispose();
  });
});

describe('logitBias', () => {
  it('adds the bias of each listed token in every row', async () => {
    expect(await values(logitBias(tf.tensor2d([[1, 1, 1], [0, 0, 0]]), { 0: -100, 2: 0.5 }))).toEqual([[-99, 1, 1.5], [-100, 0, 0.5]]);
    expect(() => logitBias(tf.zeros([1, 3]), { 3: 1 })).toThrow(/logitBias key 3 is outside the vocabulary \[0, 3\)/);
    expect(() => logitBias(tf.zeros([1, 3]), { 1: Infinity })).toThrow(RangeArgumentError);
  });
});

describe('penalizeLogits', () => {
  it('applies bias, repetition, presence/frequency, n-gram and bad words in that order', async () => {
    const x = tf.tensor2d([[2, 2, 2, 2, 2]]);
    const history = { sequences: [[0, 1, 0]], generated: [[1, 0]] };
    // bias first: token 3 goes 2 -> -2, then the repetition penalty would touch it only if seen (it is not)
    const out = await values(penalizeLogits(x, {
      logitBias: { 0: 2 }, repetitionPenalty: 2, frequencyPenalty: 1, noRepeatNgramSize: 2, badWordsIds: [[0, 4]],
    }, history));
    // token 0: (2 + 2) / 2 - 1 = 1, then banned by the 2-gram "0 1"; token 1: 2 / 2 - 1 = 0;
    // token 4 is banned after 0
    expect(out).toEqual([[1, M, 2, 2, M]]);
    const before = tf.memory().numTensors;
    penalizeLogits(x, {}, history).dispose();
    penalizeLogits(x, { repetitionPenalty: 1.5, presencePenalty: 1 }, history).dispose();
    processLogits(x, { minP: 0.1, typicalP: 0.5 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
