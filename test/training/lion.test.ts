import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Lion } from '../../src/training/lion.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

describe('Lion', () => {
  it('moves every coordinate by exactly the learning rate, and decays only what the rule selects', async () => {
    const w = tf.variable(tf.fill([2, 2], 1));
    const b = tf.variable(tf.tensor1d([1, 1]));
    const opt = new Lion([['w', w], ['b', b]], { learningRate: 0.25, weightDecay: 2 });
    const gw = tf.tensor2d([[3, -1e-3], [0, 5]]);
    const gb = tf.tensor1d([-7, 1e-6]);
    opt.applyGradients({ w: gw, b: gb });
    // w decays by 1 − 0.25·2 = 0.5 first; the bias (rank 1) does not decay; sign(0) = 0.
    expect(Array.from(await w.data())).toEqual([0.25, 0.75, 0.5, 0.25]);
    expect(Array.from(await b.data())).toEqual([1.25, 0.75]);
    expect(Object.keys((await opt.getState()).slots)).toEqual(['m.w', 'm.b']);
    opt.dispose();
    tf.dispose([w, b, gw, gb]);
  });

  it('rejects bad hyperparameters naming them', () => {
    const w = tf.variable(tf.zeros([2]));
    expect(() => new Lion([['w', w]], { learningRate: 1e-4, beta1: 1.5 })).toThrow(/beta1 \(1.5\) must be finite and in \[0, 1\]/);
    expect(() => new Lion([['w', w]], { learningRate: 1e-4, beta2: -1 })).toThrow(RangeArgumentError);
    w.dispose();
  });
});
