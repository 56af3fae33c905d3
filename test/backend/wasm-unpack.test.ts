import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { wasmUnpack } from '../../src/backend/wasm/unpack.js';
import { expectNoLeaks, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const unstackCases: Array<[number[], number]> = [
  [[3, 4], 0],
  [[3, 4], 1],
  [[3, 2, 5], -1],
  [[2, 3, 4, 5], 2],
  [[3, 2, 1, 2, 4], 0], // the fused attention split [3, B, H, T, Dh]
  [[1, 5], 0],
  [[4, 0, 2], 0],
];

describe('wasm Unpack override', () => {
  it('is the registered kernel', () => {
    expect(tf.getKernel('Unpack', 'wasm').kernelFunc).toBe(wasmUnpack);
  });

  it('splits a 2x3 matrix along axis 1 by hand', async () => {
    const parts = await runOn('wasm', () => tf.tidy(() => tf.stack(tf.unstack(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), 1))));
    expect(parts.values).toEqual([1, 4, 2, 5, 3, 6]);
  });

  for (const [shape, axis] of unstackCases) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      it(`matches cpu for ${dtype} [${shape}] axis ${axis}`, async () => {
        const size = shape.reduce((n, d) => n * d, 1);
        const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 1.5 - 7));
        const f = () => tf.tidy(() => {
          const parts = tf.unstack(tf.tensor(values as number[], shape, dtype), axis);
          // Flattened and joined, so one comparison covers every part and its shape.
          return tf.concat([tf.tensor1d(parts.flatMap((p) => p.shape)), ...parts.map((p) => tf.cast(tf.reshape(p, [-1]), 'float32'))]);
        });
        const expected = await runOn('cpu', f);
        const actual = await runOn('wasm', f);
        expect(actual.values).toEqual(expected.values);
      });
    }
  }

  it('gives unstack the same gradient as cpu', async () => {
    const f = () => tf.tidy(() => {
      const x = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 5);
      return tf.grad((t: tf.Tensor) => {
        const [a, b, c] = tf.unstack(t) as [tf.Tensor, tf.Tensor, tf.Tensor];
        return tf.sum(tf.mul(tf.mul(a, b), tf.add(c, 1)));
      })(x);
    });
    const expected = await runOn('cpu', f);
    const actual = await runOn('wasm', f);
    expect(actual.values.map((v, i) => Math.abs(v - (expected.values[i] as number)))
      .every((d) => d < 1e-6)).toBe(true);
  });

  it('leaks no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1);
    expectNoLeaks(() => tf.tidy(() => {
      tf.unstack(x, 0);
      tf.unstack(x, 2);
    }));
    x.dispose();
  });
});
