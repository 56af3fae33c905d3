import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dropout } from '../../src/ops/dropout.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { leakedTensors } from '../helpers/gradient-check.js';

describe('dropout', () => {
  it('is the identity when not training or at rate 0', () => {
    const x = tf.ones([4]);
    expect(dropout(x, { rate: 0.5, seed: 1, training: false })).toBe(x);
    expect(dropout(x, { rate: 0, seed: 1, training: true })).toBe(x);
    x.dispose();
  });

  it('zeroes about rate of the elements and scales the rest by 1 / (1 - rate)', () => {
    const x = tf.ones([4000]);
    const y = dropout(x, { rate: 0.25, seed: 3, training: true });
    const values = Array.from(y.dataSync());
    expect(values.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.2);
    expect(dropped).toBeLessThan(0.3);
    tf.dispose([x, y]);
  });

  it('is reproducible from its seed and leaks nothing', () => {
    const x = tf.ones([50]);
    const a = dropout(x, { rate: 0.5, seed: 9, training: true });
    const b = dropout(x, { rate: 0.5, seed: 9, training: true });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(leakedTensors(() => dropout(x, { rate: 0.5, seed: 9, training: true }).dispose())).toBe(0);
    tf.dispose([x, a, b]);
  });

  it('rejects rates outside [0, 1)', () => {
    const x = tf.ones([2]);
    expect(() => dropout(x, { rate: 1, seed: 1, training: true })).toThrow(RangeArgumentError);
    expect(() => dropout(x, { rate: -0.1, seed: 1, training: false })).toThrow(/-0.1/);
    x.dispose();
  });
});
