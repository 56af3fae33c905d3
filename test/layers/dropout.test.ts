import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dropout } from '../../src/layers/dropout.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { leakedTensors } from '../helpers/gradient-check.js';

describe('Dropout layer', () => {
  it('is the identity when not training and draws no seed then', () => {
    const drop = new Dropout(0.5, { seed: 1 });
    const state = drop.getState();
    const x = tf.ones([8]);
    expect(drop.forward(x, false)).toBe(x);
    expect(drop.getState()).toEqual(state);
    x.dispose();
  });

  it('draws a fresh mask per call and replays after setState', () => {
    const drop = new Dropout(0.5, { seed: 2 });
    const x = tf.ones([64]);
    const saved = drop.getState();
    const a = Array.from(drop.forward(x, true).dataSync());
    const b = Array.from(drop.forward(x, true).dataSync());
    expect(a).not.toEqual(b);
    drop.setState(saved);
    expect(Array.from(drop.forward(x, true).dataSync())).toEqual(a);
    expect(a.every((v) => v === 0 || v === 2)).toBe(true);
  });

  it('leaks nothing and has no parameters', () => {
    const drop = new Dropout(0.3, { seed: 3 });
    expect(drop.numParameters()).toBe(0);
    const x = tf.ones([4, 4]);
    expect(leakedTensors(() => {
      drop.forward(x, true).dispose();
      tf.grad((t: tf.Tensor) => tf.sum(drop.forward(t, true)))(x).dispose();
    })).toBe(0);
    x.dispose();
  });

  it('rejects rates outside [0, 1)', () => {
    expect(() => new Dropout(1, { seed: 1 })).toThrow(RangeArgumentError);
    expect(() => new Dropout(-0.5, { seed: 1 })).toThrow('dropout rate (-0.5) must be in [0, 1)');
  });
});
