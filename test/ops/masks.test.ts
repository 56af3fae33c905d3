import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MASK_VALUE, causalMask, paddingMask } from '../../src/ops/masks.js';
import { RangeArgumentError, ShapeError } from '../../src/utils/errors.js';
import { leakedTensors } from '../helpers/gradient-check.js';

const N = MASK_VALUE;

describe('causalMask', () => {
  it('blocks future keys', () => {
    const m = causalMask(3, 3);
    expect(m.shape).toEqual([1, 1, 3, 3]);
    expect(m.arraySync()).toEqual([[[[0, N, N], [0, 0, N], [0, 0, 0]]]]);
    m.dispose();
  });

  it('shifts by the offset of a KV cache', () => {
    const m = causalMask(2, 4, 2);
    expect(m.arraySync()).toEqual([[[[0, 0, 0, N], [0, 0, 0, 0]]]]);
    m.dispose();
  });

  it('rejects negative or fractional lengths', () => {
    expect(() => causalMask(-1, 3)).toThrow(RangeArgumentError);
    expect(() => causalMask(2, 3, 0.5)).toThrow(/offset \(0.5\)/);
  });
});

describe('paddingMask', () => {
  it('turns 1/0 into 0/MASK_VALUE over [B, 1, 1, S]', () => {
    const am = tf.tensor2d([[1, 1, 0], [1, 0, 0]], undefined, 'int32');
    const m = paddingMask(am);
    expect(m.shape).toEqual([2, 1, 1, 3]);
    expect(m.arraySync()).toEqual([[[[0, 0, N]]], [[[0, N, N]]]]);
    tf.dispose([am, m]);
  });

  it('adds with a causal mask by broadcasting, finite everywhere', () => {
    const am = tf.tensor2d([[0, 1]]);
    const m = tf.add(causalMask(2, 2), paddingMask(am));
    expect(m.arraySync()).toEqual([[[[N, N], [N, 0]]]]);
    expect(Array.from(m.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([am, m]);
  });

  it('rejects masks that are not rank 2, and leaks nothing', () => {
    const bad = tf.ones([3]);
    expect(() => paddingMask(bad)).toThrow(ShapeError);
    const am = tf.ones([1, 4]);
    expect(leakedTensors(() => paddingMask(am).dispose())).toBe(0);
    tf.dispose([bad, am]);
  });
});
