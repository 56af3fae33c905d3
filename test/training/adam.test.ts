import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam } from '../../src/training/adam.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

describe('Adam', () => {
  it('keeps a running maximum slot with amsgrad and skips frozen parameters', async () => {
    const w = tf.variable(tf.ones([2, 2]));
    const frozen = tf.variable(tf.ones([3]), false);
    const opt = new Adam([['w', w], ['frozen', frozen]], { learningRate: 0.1, amsgrad: true });
    const g = tf.fill([2, 2], 2);
    const gFrozen = tf.ones([3]);
    opt.applyGradients({ w: g, frozen: gFrozen });
    const state = await opt.getState();
    expect(state.kind).toBe('adam');
    expect(Object.keys(state.slots)).toEqual(['m.w', 'v.w', 'vMax.w']);
    expect(Array.from(state.slots['vMax.w']?.data ?? [])).toEqual(Array.from(state.slots['v.w']?.data ?? []));
    // First step: m̂/√v̂ = g/|g| = 1, so w moves by lr (up to epsilon).
    for (const x of await w.data()) expect(x).toBeCloseTo(0.9, 6);
    expect(Array.from(await frozen.data())).toEqual([1, 1, 1]);
    opt.dispose();
    tf.dispose([w, frozen, g, gFrozen]);
  });

  it('rejects bad hyperparameters naming them', () => {
    const w = tf.variable(tf.zeros([2]));
    expect(() => new Adam([['w', w]], { learningRate: 1e-3, beta1: 1 })).toThrow(/beta1 \(1\) must be finite and in \[0, 1\)/);
    expect(() => new Adam([['w', w]], { learningRate: 1e-3, epsilon: -1 })).toThrow(RangeArgumentError);
    expect(() => new Adam([['w', w]], { learningRate: 1e-3, weightDecay: -1 })).toThrow(/weightDecay \(-1\)/);
    w.dispose();
  });
});
