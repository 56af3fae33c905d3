import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Linear } from '../../src/layers/linear.js';
import { Embedding } from '../../src/layers/embedding.js';
import { ConfigError, ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { expectClose } from '../helpers/fixtures.js';

describe('Linear', () => {
  it('computes x W + b with W stored [in, out]', () => {
    const fc = new Linear(2, 3, { seed: 1 });
    fc.weight.assign(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    fc.bias!.assign(tf.tensor1d([0.5, 0, -0.5]));
    const y = fc.forward(tf.tensor3d([[[1, 1]], [[2, -1]]])); // [2, 1, 2]
    expectClose(y, { shape: [2, 1, 3], data: [5.5, 7, 8.5, -1.5, -1, -0.5] });
    fc.dispose();
  });

  it('initialises normal(0, initStd) deterministically from its seed, bias zeros', () => {
    const [a, b] = [new Linear(64, 64, { seed: 3, initStd: 0.5 }), new Linear(64, 64, { seed: 3, initStd: 0.5 })];
    expectClose(a.weight, b.weight, 0);
    const w = Array.from(a.weight.dataSync());
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std).toBeGreaterThan(0.47);
    expect(std).toBeLessThan(0.53);
    expectClose(a.bias!, new Array(64).fill(0), 0);
    a.dispose();
    b.dispose();
  });

  it('omits the bias on request', () => {
    const fc = new Linear(3, 2, { bias: false, seed: 1 });
    expect(fc.namedParameters().map(([n]) => n)).toEqual(['weight']);
    fc.dispose();
  });

  it('has correct gradients and leaks nothing', () => {
    const fc = new Linear(3, 2, { seed: 2, initStd: 1 });
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const { maxError } = checkGradients((a) => tf.sum(tf.square(fc.forward(a!))), [x]);
    expect(maxError).toBeLessThan(2e-3);
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(fc.forward(x)), fc.trainableVariables(), (grads) => {
        expectClose(grads[fc.bias!.name]!, [2, 2]);
      });
    })).toBe(0);
    const before = tf.memory().numTensors;
    fc.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    x.dispose();
  });

  it('rejects bad sizes and inputs', () => {
    expect(() => new Linear(0, 2, { seed: 1 })).toThrow('inFeatures (0) must be a positive integer');
    const fc = new Linear(3, 2, { seed: 1 });
    expect(() => fc.forward(tf.ones([2, 4]))).toThrow(ShapeError);
    fc.dispose();
  });
});

describe('Embedding', () => {
  it('looks up rows and scores against them (tied head)', () => {
    const emb = new Embedding(3, 2, { seed: 1 });
    emb.weight.assign(tf.tensor2d([[1, 0], [0, 1], [1, 1]]));
    const h = emb.forward(tf.tensor2d([[2, 0]], undefined, 'int32'));
    expectClose(h, { shape: [1, 2, 2], data: [1, 1, 1, 0] });
    expectClose(emb.attend(h), { shape: [1, 2, 3], data: [1, 1, 2, 1, 0, 1] });
    emb.dispose();
  });

  it('accumulates gradients of repeated ids and leaks nothing', () => {
    const emb = new Embedding(4, 2, { seed: 2 });
    const ids = tf.tensor1d([1, 1, 3], 'int32');
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(emb.forward(ids)), [emb.weight], (grads) => {
        expectClose(grads[emb.weight.name]!, [0, 0, 2, 2, 0, 0, 1, 1]);
      });
    })).toBe(0);
    emb.dispose();
    ids.dispose();
  });

  it('has correct gradients through attend', () => {
    const emb = new Embedding(5, 3, { seed: 3, initStd: 1 });
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 5);
    const { maxError } = checkGradients((a) => tf.sum(tf.square(emb.attend(a!))), [x]);
    expect(maxError).toBeLessThan(3e-3);
    emb.dispose();
  });

  it('rejects bad sizes and inputs', () => {
    expect(() => new Embedding(10, -1, { seed: 1 })).toThrow(ConfigError);
    const emb = new Embedding(4, 2, { seed: 1 });
    expect(() => emb.attend(tf.ones([1, 3]))).toThrow('Embedding.attend expects [..., 2], got [1,3]');
    emb.dispose();
  });
});
