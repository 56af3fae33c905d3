import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyTemperature, MASKED_LOGIT, maskLogitsBelow, processLogits, topK, topP } from '../../src/generation/index.js';
import { Rng } from '../../src/utils/rng.js';
import { RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

const M = MASKED_LOGIT;

async function values(t: tf.Tensor): Promise<number[][]> {
  const out = (await t.array()) as number[][];
  t.dispose();
  return out;
}

/** Brute-force nucleus: indices of the smallest most-likely set with mass >= p. */
function nucleus(row: number[], p: number): Set<number> {
  const max = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  const order = row.map((_, i) => i).sort((a, b) => row[b]! - row[a]!);
  const kept = new Set<number>();
  let mass = 0;
  for (const i of order) {
    if (mass >= p) break;
    kept.add(i);
    mass += exps[i]! / total;
  }
  return kept;
}

describe('applyTemperature', () => {
  it('divides logits by the temperature', async () => {
    const x = tf.tensor2d([[1, 2], [-3, 0.5]]);
    expect(await values(applyTemperature(x, 0.5))).toEqual([[2, 4], [-6, 1]]);
    x.dispose();
  });
});

describe('topK', () => {
  it('keeps the k largest logits of each row, ties with the k-th included', async () => {
    const x = tf.tensor2d([[1, 4, 2, 3], [3, 1, 3, 2]]);
    expect(await values(topK(x, 2))).toEqual([[M, 4, M, 3], [3, M, 3, M]]);
    expect(await values(topK(x, 1))).toEqual([[M, 4, M, M], [3, M, 3, M]]);
    expect(await values(topK(x, 4))).toEqual(await x.array());
    expect(await values(topK(x, 9))).toEqual(await x.array());
    x.dispose();
  });
});

describe('topP', () => {
  it('keeps the smallest set of most likely tokens holding mass p', async () => {
    const x = tf.tensor2d([[0, 2, 1]]); // probabilities ≈ [0.090, 0.665, 0.245]
    expect(await values(topP(x, 0.9))).toEqual([[M, 2, 1]]);
    expect(await values(topP(x, 0.5))).toEqual([[M, 2, M]]);
    expect(await values(topP(x, 0.91))).toEqual([[0, 2, 1]]);
    expect(await values(topP(x, 1))).toEqual([[0, 2, 1]]);
    x.dispose();
  });

  it('agrees with a brute-force nucleus on random rows', async () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => 2 * rng.nextNormal()));
    const x = tf.tensor2d(rows);
    for (const p of [0.05, 0.3, 0.7, 0.95]) {
      const out = await values(topP(x, p));
      out.forEach((row, r) => {
        const expected = nucleus(rows[r]!, p);
        row.forEach((v, i) => expect(v === M, `p ${p} row ${r} token ${i}`).toBe(!expected.has(i)));
      });
    }
    x.dispose();
  });
});

describe('maskLogitsBelow', () => {
  it('masks exactly the logits below their row threshold, infinities included, on cpu and wasm', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const logits = tf.tensor2d([[1, 2, 3, -Infinity, Infinity], [1, 2, 3, -Infinity, Infinity]]);
      const threshold = tf.tensor2d([[2], [Infinity]]);
      expect(await values(maskLogitsBelow(logits, threshold)), backend).toEqual([[M, 2, 3, M, Infinity], [M, M, M, M, Infinity]]);
      tf.dispose([logits, threshold]);
    }
    await tf.setBackend('cpu');
  });
});

describe('processLogits', () => {
  it('chains temperature, top-k and top-p without ever producing NaN', async () => {
    const x = tf.tensor2d([[5, 1, 4, -2, 0], [0, 0, 0, 0, 0]]);
    const out = processLogits(x, { temperature: 0.01, topK: 2, topP: 0.5 });
    const probs = tf.softmax(out);
    const [o, p] = [await values(out), await values(probs)];
    expect(o[0]).toEqual([500, M, M, M, M]);
    expect(p.flat().every(Number.isFinite)).toBe(true);
    expect(p[0]).toEqual([1, 0, 0, 0, 0]);
    // A uniform row keeps every token tied with the best under top-k and top-p.
    expect(o[1]).toEqual([0, 0, 0, 0, 0]);
    x.dispose();
  });

  it('leaks no tensors and leaves its input alone', () => {
    const x = tf.tensor2d([[1, 2, 3], [3, 2, 1]]);
    const before = tf.memory().numTensors;
    for (const opts of [{}, { temperature: 2 }, { topK: 1 }, { topK: 5 }, { topP: 0.5 }, { topP: 1 }, { temperature: 0.5, topK: 2, topP: 0.8 }]) {
      processLogits(x, opts).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('rejects bad values and shapes with typed errors naming them', () => {
    const x = tf.tensor2d([[1, 2]]);
    const flat = tf.tensor1d([1, 2]);
    expect(() => applyTemperature(x, 0)).toThrow(/temperature \(0\)/);
    expect(() => applyTemperature(x, Infinity)).toThrow(RangeArgumentError);
    expect(() => topK(x, 0)).toThrow(/topK \(0\)/);
    expect(() => topK(x, 1.5)).toThrow(RangeArgumentError);
    expect(() => topP(x, 0)).toThrow(/topP \(0\)/);
    expect(() => topP(x, 1.01)).toThrow(RangeArgumentError);
    expect(() => topK(flat, 1)).toThrow(ShapeError);
    expect(() => topP(flat, 0.5)).toThrow(/topP expects logits \[B, V\].*got \[2\]/);
    expect(() => applyTemperature(flat, 1)).toThrow(ShapeError);
    tf.dispose([x, flat]);
  });
});
