import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { wasmGatherV2 } from '../../src/backend/wasm/gather.js';
import { expectNoLeaks, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const cases: Array<{ shape: number[]; ids: number[]; idsShape: number[]; axis: number }> = [
  { shape: [5, 3], ids: [4, 0, 0, 2], idsShape: [4], axis: 0 },
  { shape: [5, 3], ids: [2, 1], idsShape: [2], axis: 1 },
  { shape: [2, 4, 3], ids: [3, 1, 1, 0, 2, 3], idsShape: [2, 3], axis: 1 },
  { shape: [2, 4, 3], ids: [2, 0], idsShape: [2], axis: -1 },
  { shape: [6], ids: [5, 5, 0], idsShape: [3], axis: 0 },
  { shape: [4, 2], ids: [], idsShape: [0], axis: 0 },
];

describe('wasm GatherV2 override', () => {
  it('is the registered kernel', () => {
    expect(tf.getKernel('GatherV2', 'wasm').kernelFunc).toBe(wasmGatherV2);
  });

  it('looks up embedding rows by hand', async () => {
    const out = await runOn('wasm', () => tf.tidy(() =>
      tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], 'int32'))));
    expect(out).toEqual({ shape: [3, 2], dtype: 'float32', values: [5, 6, 1, 2, 5, 6] });
  });

  for (const { shape, ids, idsShape, axis } of cases) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      it(`matches cpu for ${dtype} [${shape}] ids [${idsShape}] axis ${axis}`, async () => {
        const size = shape.reduce((n, d) => n * d, 1);
        const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 1.5 - 7));
        const f = () => tf.tidy(() =>
          tf.gather(tf.tensor(values as number[], shape, dtype), tf.tensor(ids, idsShape, 'int32'), axis));
        const expected = await runOn('cpu', f);
        const actual = await runOn('wasm', f);
        expect(actual).toEqual(expected);
      });
    }
  }

  // tfjs 4.22's own wasm kernel reads uninitialised memory here.
  it('matches cpu with batchDims', async () => {
    const by2 = () => tf.tidy(() =>
      tf.gather(tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), tf.tensor2d([[1], [0]], [2, 1], 'int32'), 1, 1));
    expect(await runOn('wasm', by2)).toEqual({ shape: [2, 1, 2], dtype: 'float32', values: [3, 4, 5, 6] });
    const values = Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const ids = [3, 0, 0, 2, 1, 1, 3, 2];
    const deep = () => tf.tidy(() =>
      tf.gather(tf.tensor(values, [2, 3, 4, 5]), tf.tensor(ids, [2, 2, 2], 'int32'), 2, 1));
    expect(await runOn('wasm', deep)).toEqual(await runOn('cpu', deep));
  });

  it('leaves out-of-range ids to tfjs, whose error names them', async () => {
    await tf.setBackend('wasm');
    expectNoLeaks(() => {
      expect(() => tf.tidy(() => tf.gather(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([0, 7], 'int32'))))
        .toThrow(/index value 7 is not in \[0, 1\]/);
    });
  });

  it('gives gather the same gradient as cpu', async () => {
    const f = () => tf.tidy(() => {
      const table = tf.randomNormal([6, 4], 0, 1, 'float32', 3);
      const ids = tf.tensor1d([5, 1, 1, 0], 'int32');
      return tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, ids))))(table);
    });
    const expected = await runOn('cpu', f);
    const actual = await runOn('wasm', f);
    expect(actual.values.every((v, i) => Math.abs(v - (expected.values[i] as number)) < 1e-6)).toBe(true);
  });

  it('leaks no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1);
    const ids = tf.tensor1d([6, 0, 3], 'int32');
    expectNoLeaks(() => tf.tidy(() => {
      tf.gather(x, ids);
      tf.gather(x, tf.tensor1d([4, 1], 'int32'), 1);
    }));
    tf.dispose([x, ids]);
  });
});
