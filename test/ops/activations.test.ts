import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activation, gelu, geluTanh, relu, silu, type ActivationName } from '../../src/ops/activations.js';
import { ConfigError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

const fx = readFixture<{ activations: Record<string, EncodedTensor> }>('layers.json').activations;
const names: ActivationName[] = ['gelu', 'gelu_tanh', 'relu', 'silu'];

describe('activations', () => {
  it('match hand-computed values', () => {
    const x = tf.tensor1d([-1, 0, 1]);
    expectClose(gelu(x), [-0.15865525, 0, 0.84134475], 1e-6);
    expectClose(geluTanh(x), [-0.15880801, 0, 0.84119199], 1e-6);
    expectClose(relu(x), [0, 0, 1]);
    expectClose(silu(x), [-0.26894142, 0, 0.73105858], 1e-6);
    x.dispose();
  });

  it.each(names)('%s matches PyTorch', (name) => {
    const x = decode(fx.x!);
    const y = activation(name)(x);
    expectClose(y, fx[name]!, 1e-5);
    tf.dispose([x, y]);
  });

  it.each(names)('%s has correct gradients', (name) => {
    // Avoid relu's kink at 0.
    const x = tf.tensor1d([-2.3, -0.7, -0.1, 0.2, 0.9, 3.1]);
    const { maxError } = checkGradients((t) => tf.sum(tf.mul(activation(name)(t), tf.range(1, 7))), [x]);
    expect(maxError).toBeLessThan(2e-3);
    x.dispose();
  });

  it.each(names)('%s leaks nothing in forward or backward', (name) => {
    const x = tf.tensor2d([[0.5, -1], [2, 0.1]]);
    expect(leakedTensors(() => {
      tf.tidy(() => activation(name)(x)).dispose();
      tf.grad((t: tf.Tensor) => tf.sum(activation(name)(t)))(x).dispose();
    })).toBe(0);
    x.dispose();
  });

  it('rejects unknown names with the name in the message', () => {
    expect(() => activation('swish' as ActivationName)).toThrow(ConfigError);
    expect(() => activation('swish' as ActivationName)).toThrow(/"swish"/);
    expect(() => activation('toString' as ActivationName)).toThrow(ConfigError);
  });
});
