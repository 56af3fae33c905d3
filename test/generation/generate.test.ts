import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, type NextFn, streamGenerate } from '../../src/generation/index.js';
import { RangeArgumentError, ShapeError, VocabularyError } from '../../src/utils/errors.js';

/**
 * Bigram table: row i holds the logits of the token after token i. Its argmax is i + 1 (mod 6),
 * with gaps of at least 0.5 between the sorted logits of each row.
 */
const TABLE = [
  [0, 3, 1, 0.5, -1, 2],
  [1, 0, 4, 2, 0.5, -1],
  [-1, 0.5, 0, 3, 1, 2],
  [2, 1, 0.5, 0, 5, -1],
  [0.5, -1, 1, 2, 0, 3],
  [4, 0, 3, 1, 2, 0.5],
];
const V = TABLE.length;
const table = tf.tensor2d(TABLE); // lives for the whole file
afterAll(() => table.dispose());

interface Call { tokens: number[][]; cacheIn: tf.Scalar | null; count: number }

/** A fake model over TABLE whose cache is a scalar counting the calls so far. */
function bigram(fail?: { atCall: number }): { next: NextFn<tf.Scalar>; calls: Call[]; caches: tf.Scalar[] } {
  const calls: Call[] = [];
  const caches: tf.Scalar[] = [];
  const next: NextFn<tf.Scalar> = (tokens, cache) => {
    calls.push({ tokens: tokens.arraySync() as number[][], cacheIn: cache, count: cache === null ? 0 : (cache.arraySync() as number) });
    if (fail?.atCall === calls.length) throw new Error('model failure');
    const [b, t] = tokens.shape as [number, number];
    const logits = tf.tidy(() => tf.gather(table, tf.reshape(tf.slice(tokens, [0, t - 1], [b, 1]), [b]))); // [B, V]
    const updated = tf.tidy(() => (cache === null ? tf.scalar(1, 'int32') : tf.add(cache, 1))) as tf.Scalar;
    caches.push(updated);
    return { logits, cache: updated };
  };
  return { next, calls, caches };
}

const disposeCache = (c: tf.Scalar): void => c.dispose();

describe('generate', () => {
  it('decodes greedily, feeding the prompt first and then one token per step with the cache', async () => {
    const { next, calls, caches } = bigram();
    const seen: Array<[number[], number]> = [];
    const out = await generate(next, [[4, 0], [2, 3]], { maxNewTokens: 4, disposeCache, onToken: (t, s) => seen.push([t, s]) });
    expect(out).toEqual([[1, 2, 3, 4], [4, 5, 0, 1]]);
    expect(seen).toEqual([[[1, 4], 0], [[2, 5], 1], [[3, 0], 2], [[4, 1], 3]]);
    expect(calls.map((c) => c.tokens)).toEqual([[[4, 0], [2, 3]], [[1], [4]], [[2], [5]], [[3], [0]]]);
    expect(calls.map((c) => c.count)).toEqual([0, 1, 2, 3]);
    calls.slice(1).forEach((c, i) => expect(c.cacheIn).toBe(caches[i]));
    expect(caches.every((c) => c.isDisposed)).toBe(true);
  });

  it('accepts a single prompt row and returns only the new tokens', async () => {
    expect(await generate(bigram().next, [5], { maxNewTokens: 3, disposeCache })).toEqual([[0, 1, 2]]);
    const { next, calls } = bigram();
    expect(await generate(next, [5, 1], { maxNewTokens: 0, disposeCache })).toEqual([[]]);
    expect(calls).toHaveLength(0);
  });

  it('stops when every row has produced eos, finished rows repeating it', async () => {
    const { next, calls } = bigram();
    const out = await generate(next, [[0], [2]], { maxNewTokens: 10, eosTokenId: 3, disposeCache });
    expect(out).toEqual([[1, 2, 3], [3, 3, 3]]);
    expect(calls).toHaveLength(3);
  });

  it('samples only inside the top k and the nucleus', async () => {
    const prompt = Array.from({ length: 400 }, () => [0]); // row 0 logits: 3 (token 1), 2 (token 5), 1 (token 2)
    const k = await generate(bigram().next, prompt, { maxNewTokens: 1, strategy: 'sample', topK: 2, seed: 1, disposeCache });
    expect(new Set(k.flat())).toEqual(new Set([1, 5]));
    // probabilities of row 0 ≈ 0.61 (1), 0.22 (5), 0.08 (2)...: the 0.8-nucleus is {1, 5}
    const p = await generate(bigram().next, prompt, { maxNewTokens: 1, strategy: 'sample', topP: 0.8, seed: 2, disposeCache });
    expect(new Set(p.flat())).toEqual(new Set([1, 5]));
    const all = await generate(bigram().next, prompt, { maxNewTokens: 1, strategy: 'sample', seed: 2, disposeCache });
    expect(new Set(all.flat()).size).toBe(V);
  });

  it('approaches greedy at low temperature', async () => {
    const prompt = Array.from({ length: 50 }, (_, i) => [i % V]);
    const greedyOut = await generate(bigram().next, prompt, { maxNewTokens: 5, disposeCache });
    const cold = await generate(bigram().next, prompt, { maxNewTokens: 5, strategy: 'sample', temperature: 0.01, seed: 3, disposeCache });
    expect(cold).toEqual(greedyOut);
    const warm = await generate(bigram().next, prompt, { maxNewTokens: 5, strategy: 'sample', temperature: 1, seed: 3, disposeCache });
    expect(warm).not.toEqual(greedyOut);
  });

  it('is reproducible from the seed', async () => {
    const prompt = Array.from({ length: 20 }, () => [0]);
    const run = (seed: number): Promise<number[][]> =>
      generate(bigram().next, prompt, { maxNewTokens: 6, strategy: 'sample', topP: 0.95, seed, disposeCache });
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
  });

  it('streams the same tokens, one array per step', async () => {
    const opts = { maxNewTokens: 5, strategy: 'sample', seed: 9, disposeCache } as const;
    const steps: number[][] = [];
    for await (const tokens of streamGenerate(bigram().next, [[1], [3]], opts)) steps.push(tokens);
    const out = await generate(bigram().next, [[1], [3]], opts);
    expect(steps.map((s) => s[0])).toEqual(out[0]);
    expect(steps.map((s) => s[1])).toEqual(out[1]);
  });

  it('leaks no tensors: on completion, on early break and when next throws', async () => {
    const before = tf.memory().numTensors;
    await generate(bigram().next, [[0, 1], [2, 3]], { maxNewTokens: 6, strategy: 'sample', topK: 3, topP: 0.9, seed: 0, disposeCache });
    expect(tf.memory().numTensors).toBe(before);
    const { next, caches } = bigram();
    for await (const _ of streamGenerate(next, [0], { maxNewTokens: 10, disposeCache })) {
      if (caches.length === 3) break;
    }
    expect(caches.every((c) => c.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await expect(generate(bigram({ atCall: 3 }).next, [0], { maxNewTokens: 10, disposeCache })).rejects.toThrow('model failure');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects logits of the wrong shape from next, without leaking', async () => {
    const before = tf.memory().numTensors;
    const next: NextFn<null> = () => ({ logits: tf.zeros([3, V]), cache: null });
    await expect(generate(next, [[0], [1]], { maxNewTokens: 2, disposeCache: () => undefined }))
      .rejects.toThrow(/B = 2, got \[3,6\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates prompt and options before calling next', () => {
    const { next, calls } = bigram();
    const ok = { maxNewTokens: 2, disposeCache };
    expect(() => streamGenerate(next, [], ok)).toThrow(RangeArgumentError);
    expect(() => streamGenerate(next, [[]], ok)).toThrow(/row 0 is empty/);
    expect(() => streamGenerate(next, [[1, 2], 3] as unknown as number[][], ok)).toThrow(ShapeError);
    expect(() => streamGenerate(next, [1, -2], ok)).toThrow(VocabularyError);
    expect(() => streamGenerate(next, [1, 2.5], ok)).toThrow(/position 1 holds 2.5/);
    expect(() => streamGenerate(next, [1], { ...ok, maxNewTokens: -1 })).toThrow(/maxNewTokens \(-1\)/);
    expect(() => streamGenerate(next, [1], { ...ok, maxNewTokens: 1.5 })).toThrow(RangeArgumentError);
    expect(() => streamGenerate(next, [1], { ...ok, temperature: 0 })).toThrow(/temperature \(0\)/);
    expect(() => streamGenerate(next, [1], { ...ok, topK: 0 })).toThrow(/topK \(0\)/);
    expect(() => streamGenerate(next, [1], { ...ok, topP: 1.5 })).toThrow(/topP \(1.5\)/);
    expect(() => streamGenerate(next, [1], { ...ok, seed: 0.5 })).toThrow(/seed \(0.5\)/);
    expect(() => streamGenerate(next, [1], { ...ok, eosTokenId: -1 })).toThrow(VocabularyError);
    expect(() => streamGenerate(next, [1], { ...ok, strategy: 'beam' as 'greedy' })).toThrow(/strategy \(beam\)/);
    expect(() => streamGenerate(next, [1], { ...ok, numBeams: 2 })).toThrow(/cannot stream/);
    expect(calls).toHaveLength(0);
  });
});
