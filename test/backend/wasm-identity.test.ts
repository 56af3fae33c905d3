import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { wasmIdentity } from '../../src/backend/wasm/identity.js';
import { expectNoLeaks, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasm Identity override', () => {
  it('is the registered kernel', () => {
    expect(tf.getKernel('Identity', 'wasm').kernelFunc).toBe(wasmIdentity);
  });

  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`clones ${dtype} values, and the clone outlives its source`, async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor([1, 0, 3, 4], [2, 2], dtype);
      const copy = tf.clone(x);
      x.dispose();
      expect(copy.shape).toEqual([2, 2]);
      expect(copy.dtype).toBe(dtype);
      expect(Array.from(await copy.data())).toEqual(dtype === 'bool' ? [1, 0, 1, 1] : [1, 0, 3, 4]);
      copy.dispose();
    });
  }

  it('shares the wasm buffer and frees it with the last reference', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.backend().numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    expect(tf.backend().numDataIds()).toBe(buffersBefore + 1);
    x.dispose();
    expect(tf.backend().numDataIds()).toBe(buffersBefore + 1);
    copy.dispose();
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
  });

  it('keeps customGrad gradients equal to cpu and leaks nothing', async () => {
    const square = tf.customGrad((x, save) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor]);
      return { value: tf.square(x as tf.Tensor), gradFunc: (dy: tf.Tensor, [sx]: tf.Tensor[]) => tf.mul(dy, tf.mul(2, sx as tf.Tensor)) };
    });
    const f = () => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(square(x)))(tf.tensor1d([1, -2, 3])));
    await tf.setBackend('wasm');
    expectNoLeaks(() => f().dispose());
    expect((await runOn('wasm', f)).values).toEqual((await runOn('cpu', f)).values);
  });
});
