import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { generate, resolveGenerationOptions, stopCriteria, streamGenerate, type NextFn } from '../../src/generation/index.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

/** A model that always predicts `(last token + 1) mod V`; its cache is a scalar it allocates each step. */
const V = 10;
const counter: NextFn<tf.Scalar> = (tokens, cache) => {
  const [b, t] = tokens.shape as [number, number];
  const logits = tf.tidy(() => tf.mul(tf.oneHot(tf.cast(tf.mod(tf.add(tf.reshape(tf.slice(tokens, [0, t - 1], [b, 1]), [b]), 1), V), 'int32'), V), 10));
  return { logits, cache: tf.tidy(() => (cache === null ? tf.scalar(0) : tf.add(cache, 1))) as tf.Scalar };
};
const disposeCache = (c: tf.Scalar): void => c.dispose();
const letters = (ids: number[]): string => ids.map((i) => 'abcdefghij'[i]).join('');

describe('stopping', () => {
  it('finishes a row on any of several eos ids and pads it with padTokenId', async () => {
    const out = await generate(counter, [[0], [4]], { maxNewTokens: 6, eosTokenId: [3, 6], padTokenId: 9, disposeCache });
    expect(out).toEqual([[1, 2, 3], [5, 6, 9]]);
  });

  it('never bans a lone eos id through badWordsIds, as Hugging Face', async () => {
    expect(await generate(counter, [0], { maxNewTokens: 5, eosTokenId: 2, badWordsIds: [[2], [4]], disposeCache })).toEqual([[1, 2]]);
    expect(await generate(counter, [0], { maxNewTokens: 5, badWordsIds: [[2]], disposeCache })).toEqual([[1, 0, 1, 0, 1]]);
  });

  it('matches stop strings on decoded text across token boundaries', async () => {
    // tokens decode to letters; "cd" spans tokens 2 and 3
    expect(await generate(counter, [0], { maxNewTokens: 8, stop: ['cd'], decode: letters, disposeCache })).toEqual([[1, 2, 3]]);
    // a multi-character token: each token decodes to its letter twice, "bbcc" spans two tokens
    const doubled = (ids: number[]): string => ids.map((i) => 'abcdefghij'[i]!.repeat(2)).join('');
    expect(await generate(counter, [0], { maxNewTokens: 8, stop: ['bcc', 'zz'], decode: doubled, disposeCache })).toEqual([[1, 2]]);
    // only generated text counts, not the prompt
    expect(await generate(counter, [2, 3], { maxNewTokens: 3, stop: ['cd'], decode: letters, disposeCache })).toEqual([[4, 5, 6]]);
    const batch = await generate(counter, [[0], [5]], { maxNewTokens: 4, stop: ['c'], decode: letters, padTokenId: 0, disposeCache });
    expect(batch).toEqual([[1, 2, 0, 0], [6, 7, 8, 9]]);
  });

  it('stops when the AbortSignal fires, keeping what was generated, without leaks', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const out = await generate(counter, [0], {
      maxNewTokens: 50, signal: controller.signal, disposeCache,
      onToken: ([t]) => { seen.push(t!); if (seen.length === 3) controller.abort(); },
    });
    expect(out).toEqual([[1, 2, 3]]);
    expect(await generate(counter, [0], { maxNewTokens: 5, signal: AbortSignal.abort(), disposeCache })).toEqual([[]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops once maxTime seconds have passed', async () => {
    let clock = 0;
    const plan = resolveGenerationOptions([0], { maxNewTokens: 5, maxTime: 0.5 });
    const stop = stopCriteria(plan, () => clock);
    expect(stop.halted()).toBe(false);
    clock = 499;
    expect(stop.halted()).toBe(false);
    clock = 500;
    expect(stop.halted()).toBe(true);
    const slow: NextFn<tf.Scalar> = (tokens, cache) => {
      const until = Date.now() + 20;
      while (Date.now() < until) { /* a slow model */ }
      return counter(tokens, cache);
    };
    const [out] = await generate(slow, [0], { maxNewTokens: 100, maxTime: 0.05, disposeCache });
    expect(out!.length).toBeGreaterThanOrEqual(2);
    expect(out!.length).toBeLessThanOrEqual(4);
  });

  it('rejects stopping options it cannot honour', () => {
    const ok = { maxNewTokens: 2, disposeCache };
    expect(() => streamGenerate(counter, [0], { ...ok, stop: ['x'] })).toThrow(/need a decode function/);
    expect(() => streamGenerate(counter, [[0], [1]], { ...ok, stop: ['x'], decode: letters })).toThrow(/padTokenId or eosTokenId/);
    expect(() => streamGenerate(counter, [0], { ...ok, stop: [''], decode: letters })).toThrow(RangeArgumentError);
    expect(() => streamGenerate(counter, [0], { ...ok, maxTime: 0 })).toThrow(/maxTime \(0\)/);
    expect(() => streamGenerate(counter, [0], { ...ok, eosTokenId: [1, -1] })).toThrow(/eosTokenId/);
    expect(() => streamGenerate(counter, [0], { ...ok, doSample: false, strategy: 'sample' })).toThrow(/contradicts/);
  });
});
