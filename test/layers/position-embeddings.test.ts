import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LearnedPositionEmbedding } from '../../src/layers/learned-position-embedding.js';
import { SinusoidalPositionEmbedding } from '../../src/layers/sinusoidal-position-embedding.js';
import { RotaryEmbedding } from '../../src/layers/rotary-embedding.js';
import { ConfigError, ContextLengthError, ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

const fx = readFixture<{ rotary: { x: EncodedTensor; offset: number; y: EncodedTensor } }>('layers.json').rotary;

describe('LearnedPositionEmbedding', () => {
  it('returns rows offset .. offset + length - 1 and trains them', () => {
    const wpe = new LearnedPositionEmbedding(4, 2, { seed: 1 });
    wpe.weight.assign(tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3]]));
    expectClose(wpe.forward(2, 1), { shape: [2, 2], data: [1, 1, 2, 2] });
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(wpe.forward(2, 2)), [wpe.weight], (grads) => {
        expectClose(grads[wpe.weight.name]!, [0, 0, 0, 0, 1, 1, 1, 1]);
      });
    })).toBe(0);
    wpe.dispose();
  });

  it('rejects positions beyond maxPositions naming both', () => {
    const wpe = new LearnedPositionEmbedding(4, 2, { seed: 1 });
    expect(() => wpe.forward(3, 2)).toThrow(ContextLengthError);
    expect(() => wpe.forward(3, 2)).toThrow('positions 2..4 (offset 2 + length 3) exceed maxPositions (4)');
    wpe.dispose();
  });
});

describe('SinusoidalPositionEmbedding', () => {
  it('interleaves sin and cos of p / 10000^(2i/d), with no parameters', () => {
    const pe = new SinusoidalPositionEmbedding(8, 4);
    expect(pe.numParameters()).toBe(0);
    const p = 3;
    expectClose(pe.forward(1, p), [Math.sin(p), Math.cos(p), Math.sin(p / 100), Math.cos(p / 100)], 1e-6);
    expect(() => pe.forward(9)).toThrow(ContextLengthError);
    const before = tf.memory().numTensors;
    pe.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });
});

describe('RotaryEmbedding', () => {
  it('matches the PyTorch rotate-half reference at an offset', () => {
    const rope = new RotaryEmbedding(4, { maxPositions: 8 });
    expectClose(rope.apply(decode(fx.x), fx.offset), fx.y, 1e-5);
    rope.dispose();
  });

  it('makes q.k depend only on the relative position', () => {
    const rope = new RotaryEmbedding(4, { maxPositions: 16 });
    const q = tf.randomNormal([1, 1, 1, 4], 0, 1, 'float32', 1);
    const k = tf.randomNormal([1, 1, 1, 4], 0, 1, 'float32', 2);
    const dot = (pq: number, pk: number) => tf.sum(tf.mul(rope.apply(q, pq), rope.apply(k, pk))).dataSync()[0]!;
    expect(dot(5, 2)).toBeCloseTo(dot(10, 7), 5);
    expect(Math.abs(dot(5, 2) - dot(5, 3))).toBeGreaterThan(1e-4);
    rope.dispose();
  });

  it('has correct gradients, leaks nothing, and owns only buffers', () => {
    const rope = new RotaryEmbedding(4, { maxPositions: 8, base: 100 });
    expect(rope.numParameters()).toBe(0);
    const x = tf.randomNormal([1, 2, 3, 4], 0, 1, 'float32', 3);
    const { maxError } = checkGradients((a) => tf.sum(tf.mul(rope.apply(a!, 1), tf.reshape(tf.range(0, 24), [1, 2, 3, 4]))), [x]);
    expect(maxError).toBeLessThan(3e-3);
    expect(leakedTensors(() => rope.apply(x, 2).dispose())).toBe(0);
    const before = tf.memory().numTensors;
    rope.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    x.dispose();
  });

  it('validates head size, shapes and positions', () => {
    expect(() => new RotaryEmbedding(5, { maxPositions: 8 })).toThrow('RotaryEmbedding headDim (5) must be even');
    expect(() => new RotaryEmbedding(4, { maxPositions: 8, base: 1 })).toThrow(ConfigError);
    const rope = new RotaryEmbedding(4, { maxPositions: 4 });
    expect(() => rope.apply(tf.ones([1, 1, 2, 6]))).toThrow(ShapeError);
    expect(() => rope.apply(tf.ones([1, 1, 2, 4]), 3)).toThrow(ContextLengthError);
    rope.dispose();
  });
});
