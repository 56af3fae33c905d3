import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { layerNorm } from '../../src/ops/layer-norm.js';
import { rmsNorm } from '../../src/ops/rms-norm.js';
import { ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

const fx = readFixture<Record<'layer_norm' | 'rms_norm', Record<string, EncodedTensor> & { eps: number }>>('layers.json');

describe('layerNorm', () => {
  it('normalises a hand-computed row', () => {
    const y = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 1]), tf.tensor1d([0, 5]), 0);
    expectClose(y, [-2, 6], 1e-6);
  });

  it('matches PyTorch', () => {
    const f = fx.layer_norm;
    expectClose(layerNorm(decode(f.x!), decode(f.weight!), decode(f.bias!), f.eps), f.y!);
  });

  it('has correct gradients for x, weight and bias', () => {
    const x = tf.randomNormal([2, 2, 3], 0, 1, 'float32', 1);
    const w = tf.tensor1d([1.5, -0.5, 0.8]);
    const b = tf.tensor1d([0.1, 0.2, 0.3]);
    const r = tf.randomNormal([2, 2, 3], 0, 1, 'float32', 2);
    const { maxError } = checkGradients((a, c, d) => tf.sum(tf.mul(layerNorm(a!, c!, d!, 1e-5), r)), [x, w, b]);
    expect(maxError).toBeLessThan(3e-3);
  });

  it('rejects a weight of the wrong size', () => {
    expect(() => layerNorm(tf.ones([2, 3]), tf.ones([4]), tf.ones([4]), 1e-5)).toThrow(ShapeError);
  });
});

describe('rmsNorm', () => {
  it('normalises a hand-computed row', () => {
    // rms([3, 4]) = sqrt(12.5)
    expectClose(rmsNorm(tf.tensor2d([[3, 4]]), tf.tensor1d([1, 2]), 0), [3 / Math.sqrt(12.5), 8 / Math.sqrt(12.5)], 1e-6);
  });

  it('matches PyTorch', () => {
    const f = fx.rms_norm;
    expectClose(rmsNorm(decode(f.x!), decode(f.weight!), f.eps), f.y!);
  });

  it('has correct gradients for x and weight', () => {
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
    const w = tf.tensor1d([1.5, -0.5, 0.8, 1]);
    const r = tf.randomNormal([3, 4], 0, 1, 'float32', 4);
    const { maxError } = checkGradients((a, c) => tf.sum(tf.mul(rmsNorm(a!, c!, 1e-6), r)), [x, w]);
    expect(maxError).toBeLessThan(3e-3);
  });

  it('rejects a weight of the wrong size', () => {
    expect(() => rmsNorm(tf.ones([2, 3]), tf.ones([2]), 1e-6)).toThrow(/\[2\] must be \[3\]/);
  });
});

describe('norm ops memory', () => {
  it('leak nothing in forward or backward', () => {
    const x = tf.ones([2, 3]);
    const w = tf.ones([3]);
    expect(leakedTensors(() => {
      layerNorm(x, w, w, 1e-5).dispose();
      rmsNorm(x, w, 1e-6).dispose();
      tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(layerNorm(a, c, c, 1e-5)))([x, w]).forEach((g) => g.dispose());
      tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(rmsNorm(a, c, 1e-6)))([x, w]).forEach((g) => g.dispose());
    })).toBe(0);
    tf.dispose([x, w]);
  });
});
