import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SGD } from '../../src/training/sgd.js';
import { ConfigError, RangeArgumentError, StateDictError } from '../../src/utils/errors.js';

describe('SGD', () => {
  it('keeps no slot without momentum, only the update counts', async () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const opt = new SGD([['w', w]], { learningRate: 0.5 });
    const g = tf.tensor1d([1, -1]);
    opt.applyGradients({ w: g });
    expect(Array.from(await w.data())).toEqual([0.5, 2.5]);
    expect(await opt.getState()).toEqual({ kind: 'sgd', step: 1, slots: {}, scalars: { 'step.w': 1 } });
    opt.dispose();
    tf.dispose([w, g]);
  });

  it('starts the momentum buffer at the first gradient, then requires it in a saved state', async () => {
    const w = tf.variable(tf.tensor1d([0, 0]));
    const opt = new SGD([['w', w]], { learningRate: 1, momentum: 0.5, dampening: 0.5 });
    const g = tf.tensor1d([2, 4]);
    opt.applyGradients({ w: g }); // b = g (no dampening on the first step)
    opt.applyGradients({ w: g }); // b = 0.5·b + 0.5·g = g
    expect(Array.from(await w.data())).toEqual([-4, -8]);
    expect(() => opt.setState({ kind: 'sgd', step: 2, slots: {}, scalars: { 'step.w': 2 } })).toThrow(/w: missing slots momentum/);
    expect(() => opt.setState({ kind: 'sgd', step: 2, slots: {}, scalars: { 'step.w': 2 } })).toThrow(StateDictError);
    opt.dispose();
    tf.dispose([w, g]);
  });

  it('rejects bad hyperparameters naming them', () => {
    const w = tf.variable(tf.zeros([2]));
    expect(() => new SGD([['w', w]], { learningRate: 0.1, nesterov: true })).toThrow(ConfigError);
    expect(() => new SGD([['w', w]], { learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }))
      .toThrow(/nesterov needs momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1/);
    expect(() => new SGD([['w', w]], { learningRate: 0.1, momentum: -0.9 })).toThrow(/momentum \(-0.9\)/);
    expect(() => new SGD([['w', w]], { learningRate: -0.1 })).toThrow(RangeArgumentError);
    w.dispose();
  });
});
