import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { scaledDotProductAttention } from '../../src/ops/attention.js';
import { causalMask, paddingMask } from '../../src/ops/masks.js';
import { ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

const fx = readFixture<{ attention: Record<string, EncodedTensor> }>('layers.json').attention;

describe('scaledDotProductAttention', () => {
  it('matches a hand-computed case', () => {
    // One query, two keys: scores [0, 2] / sqrt(4) = [0, 1] -> weights [1, e] / (1 + e).
    const q = tf.tensor4d([[[[1, 1, 1, 1]]]]);
    const k = tf.tensor4d([[[[0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5]]]]);
    const v = tf.tensor4d([[[[1, 0, 0, 0], [0, 1, 0, 0]]]]);
    const w = Math.E / (1 + Math.E);
    expectClose(scaledDotProductAttention(q, k, v), [1 - w, w, 0, 0], 1e-6);
    tf.dispose([q, k, v]);
  });

  it('matches PyTorch with causal and padding masks, and without scaling', () => {
    const [q, k, v] = [decode(fx.q!), decode(fx.k!), decode(fx.v!)];
    const am = decode(fx.attentionMask!);
    const causal = causalMask(3, 3);
    const both = tf.add(causal, paddingMask(am));
    expectClose(scaledDotProductAttention(q, k, v, { mask: causal }), fx.causal!);
    expectClose(scaledDotProductAttention(q, k, v, { mask: both }), fx.causal_padding!);
    expectClose(scaledDotProductAttention(q, k, v, { scale: false }), fx.unscaled!);
    tf.dispose([q, k, v, am, causal, both]);
  });

  it('gives finite uniform weights on a fully masked row', () => {
    const q = tf.ones([1, 1, 1, 2]);
    const v = tf.tensor4d([[[[1, 2], [3, 4]]]]);
    const am = tf.zeros([1, 2]);
    const mask = paddingMask(am);
    expectClose(scaledDotProductAttention(q, v, v, { mask }), [2, 3], 1e-6);
    tf.dispose([q, v, am, mask]);
  });

  it('has correct gradients for q, k and v', () => {
    const seedT = (s: number) => tf.randomNormal([1, 2, 3, 2], 0, 1, 'float32', s);
    const [q, k, v] = [seedT(1), seedT(2), seedT(3)];
    const mask = causalMask(3, 3);
    const weights = tf.randomNormal([1, 2, 3, 2], 0, 1, 'float32', 4);
    const { maxError } = checkGradients(
      (a, b, c) => tf.sum(tf.mul(scaledDotProductAttention(a!, b!, c!, { mask }), weights)), [q, k, v]);
    expect(maxError).toBeLessThan(5e-3);
    tf.dispose([q, k, v, mask, weights]);
  });

  it('applies seeded dropout only while training', () => {
    const q = tf.randomNormal([1, 1, 4, 2], 0, 1, 'float32', 5);
    const plain = scaledDotProductAttention(q, q, q);
    const evalMode = scaledDotProductAttention(q, q, q, { dropout: { rate: 0.5, seed: 1, training: false } });
    const a = scaledDotProductAttention(q, q, q, { dropout: { rate: 0.5, seed: 1, training: true } });
    const b = scaledDotProductAttention(q, q, q, { dropout: { rate: 0.5, seed: 1, training: true } });
    expectClose(evalMode, plain, 0);
    expectClose(a, b, 0);
    expect(tf.max(tf.abs(tf.sub(a, plain))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([q, plain, evalMode, a, b]);
  });

  it('rejects mismatched shapes and leaks nothing', () => {
    const q = tf.ones([1, 1, 2, 4]);
    const k = tf.ones([1, 1, 2, 3]);
    expect(() => scaledDotProductAttention(q, k, k)).toThrow(ShapeError);
    expect(leakedTensors(() => {
      scaledDotProductAttention(q, q, q).dispose();
      tf.grads((a: tf.Tensor) => tf.sum(scaledDotProductAttention(a, a, a)))([q]).forEach((g) => g.dispose());
    })).toBe(0);
    tf.dispose([q, k]);
  });
});
