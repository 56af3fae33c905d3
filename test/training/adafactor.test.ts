import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adafactor } from '../../src/training/adafactor.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

describe('Adafactor', () => {
  it('factors the second moment of matrices and stacks of them, and keeps m only with beta1', async () => {
    const params: Array<[string, tf.Variable]> = [
      ['w', tf.variable(tf.ones([3, 4]))],
      ['stack', tf.variable(tf.ones([2, 3, 4]))],
      ['bias', tf.variable(tf.ones([4]))],
    ];
    const grads = Object.fromEntries(params.map(([n, v]) => [n, tf.onesLike(v)]));
    const opt = new Adafactor(params, { beta1: 0.9 });
    opt.applyGradients(grads);
    const shapes = Object.fromEntries(Object.entries((await opt.getState()).slots).map(([k, s]) => [k, s.shape]));
    expect(shapes).toEqual({
      'row.w': [3], 'col.w': [4], 'm.w': [3, 4],
      'row.stack': [2, 3], 'col.stack': [2, 4], 'm.stack': [2, 3, 4],
      'v.bias': [4], 'm.bias': [4],
    });
    opt.dispose();
    tf.dispose([Object.values(grads), params.map(([, v]) => v)]);
  });

  it('reports its relative step size, with and without warmup', () => {
    const w = tf.variable(tf.ones([2, 2]));
    const g = tf.ones([2, 2]);
    const plain = new Adafactor([['w', w]]);
    const warm = new Adafactor([['w', w]], { warmupInit: true });
    expect(plain.currentLearningRate()).toBe(1e-2);
    expect(warm.currentLearningRate()).toBe(1e-6);
    warm.applyGradients({ w: g });
    expect(warm.currentLearningRate()).toBe(2e-6);
    const external = new Adafactor([['w', w]], { learningRate: (step) => 0.1 * (step + 1), scaleParameter: false });
    external.applyGradients({ w: g });
    expect(external.currentLearningRate()).toBeCloseTo(0.2, 15);
    for (const opt of [plain, warm, external]) opt.dispose();
    tf.dispose([w, g]);
  });

  it('rejects contradictory or out-of-range options naming them', () => {
    const w = tf.variable(tf.zeros([2]));
    expect(() => new Adafactor([['w', w]], { learningRate: 1e-3, relativeStep: true }))
      .toThrow(/give either learningRate \(0.001\) or relativeStep \(true\), exactly one/);
    expect(() => new Adafactor([['w', w]], { relativeStep: false })).toThrow(ConfigError);
    expect(() => new Adafactor([['w', w]], { learningRate: 1e-3, warmupInit: true })).toThrow(ConfigError);
    expect(() => new Adafactor([['w', w]], { decayRate: 0.8 })).toThrow(/decayRate \(0.8\) must be finite and <= 0/);
    expect(() => new Adafactor([['w', w]], { clipThreshold: 0 })).toThrow(RangeArgumentError);
    expect(() => new Adafactor([['w', w]], { beta1: 1 })).toThrow(/beta1 \(1\)/);
    w.dispose();
  });
});
