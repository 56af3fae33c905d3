import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { sumBlockInto, wasmSum } from '../../src/backend/wasm/sum.js';
import { expectNoLeaks, maxRelativeError, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('sumBlockInto', () => {
  it('sums a 3x2 matrix over rows by hand', () => {
    const out = new Float32Array(2);
    sumBlockInto(Float32Array.of(1, 2, 3, 4, 5, 6), { outer: 1, reduced: 3, inner: 2 }, out);
    expect(Array.from(out)).toEqual([9, 12]);
  });

  it('sums the middle axis of [2, 5, 3] by hand (rows left over after groups of four)', () => {
    const x = Float32Array.from({ length: 30 }, (_, i) => i);
    const out = new Float32Array(6);
    sumBlockInto(x, { outer: 2, reduced: 5, inner: 3 }, out);
    // out[o, i] = Σ_k (15 o + 3 k + i) = 75 o + 30 + 5 i
    expect(Array.from(out)).toEqual([30, 35, 40, 105, 110, 115]);
  });
});

const cases: Array<[number[], number | number[], boolean]> = [
  [[7, 5], 0, false],
  [[7, 5], 0, true],
  [[1024, 3], 0, false],
  [[2, 3, 4], [0, 1], false],
  [[2, 3, 4], [1, 0], true],
  [[2, 3, 4], 1, false],
  [[2, 3, 4, 5], [1, 2], true],
  [[2, 3, 4], -1, false], // last axis: tfjs's kernel
  [[2, 3, 4], [0, 2], false], // axes not adjacent: tfjs's kernel
  [[2, 3, 4], [0, 1, 2], false],
  [[0, 4], 0, false],
  [[3, 0, 4], 1, true],
];

describe('wasm Sum override', () => {
  it('is the registered kernel', () => {
    expect(tf.getKernel('Sum', 'wasm').kernelFunc).toBe(wasmSum);
  });

  for (const [shape, axis, keepDims] of cases) {
    it(`matches cpu for [${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`, async () => {
      const size = shape.reduce((n, d) => n * d, 1);
      const values = Array.from({ length: size }, (_, i) => Math.sin(i * 1.7) * 3);
      const f = () => tf.tidy(() => tf.sum(tf.tensor(values, shape), axis, keepDims));
      const expected = await runOn('cpu', f);
      const actual = await runOn('wasm', f);
      expect(actual.shape).toEqual(expected.shape);
      expect(actual.dtype).toBe('float32');
      expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    });
  }

  it('leaves int32 sums to tfjs (int32 result)', async () => {
    const f = () => tf.tidy(() => tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0));
    const actual = await runOn('wasm', f);
    expect(actual).toEqual({ shape: [2], dtype: 'int32', values: [4, 6] });
  });

  it('computes bias gradients like cpu', async () => {
    const f = () => tf.tidy(() => {
      const x = tf.randomNormal([4, 9, 6], 0, 1, 'float32', 3);
      const bias = tf.randomNormal([6], 0, 1, 'float32', 4);
      return tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(x, b))))(bias);
    });
    const expected = await runOn('cpu', f);
    const actual = await runOn('wasm', f);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });

  it('leaks no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1);
    expectNoLeaks(() => tf.tidy(() => {
      tf.sum(x, 0);
      tf.sum(x, [0, 1], true);
      tf.sum(x, -1);
    }));
    x.dispose();
  });
});
