import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { greedy, sample } from '../../src/generation/index.js';
import { ShapeError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';

/** `count` copies of one logits row, as a [count, V] tensor. */
function repeated(row: number[], count: number): tf.Tensor2D {
  return tf.tidy(() => tf.tile(tf.tensor2d([row]), [count, 1]));
}

describe('greedy', () => {
  it('picks the argmax of each row, the first one on ties', async () => {
    const x = tf.tensor2d([[0, 3, 1], [5, 1, 2], [2, 2, 1]]);
    expect(await greedy(x)).toEqual([1, 0, 0]);
    x.dispose();
  });
});

describe('sample', () => {
  it('draws tokens with frequencies matching softmax(logits)', async () => {
    const logits = [1, 0, 2, -1, 0.5, 1.5];
    const n = 20000;
    const x = repeated(logits, n);
    const tokens = await sample(x, new Rng(11));
    x.dispose();
    const exps = logits.map(Math.exp);
    const total = exps.reduce((a, b) => a + b, 0);
    const counts = logits.map((_, i) => tokens.filter((t) => t === i).length);
    const chiSquare = counts.reduce((s, c, i) => s + (c - (n * exps[i]!) / total) ** 2 / ((n * exps[i]!) / total), 0);
    // 5 degrees of freedom: P(chi2 > 20.5) = 0.001. The seed is fixed, so this cannot flake.
    expect(chiSquare).toBeLessThan(20.5);
  });

  it('never draws a masked token and is reproducible from the seed', async () => {
    const x = repeated([-1e9, 0, -1e9, 0.3, -1e9], 500);
    const a = await sample(x, new Rng(5));
    expect(a.every((t) => t === 1 || t === 3)).toBe(true);
    expect(new Set(a)).toEqual(new Set([1, 3]));
    expect(await sample(x, new Rng(5))).toEqual(a);
    expect(await sample(x, new Rng(6))).not.toEqual(a);
    x.dispose();
  });

  it('leaks no tensors, leaves its input alone and rejects non-[B, V] logits', async () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const before = tf.memory().numTensors;
    await sample(x, new Rng(0));
    await greedy(x);
    expect(tf.memory().numTensors).toBe(before);
    expect(x.isDisposed).toBe(false);
    const flat = tf.tensor1d([1, 2]);
    await expect(sample(flat, new Rng(0))).rejects.toThrow(ShapeError);
    await expect(greedy(flat)).rejects.toThrow(/greedy expects logits \[B, V\]/);
    tf.dispose([x, flat]);
  });
});
