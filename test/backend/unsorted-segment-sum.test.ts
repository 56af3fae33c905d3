import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuUnsortedSegmentSum } from '../../src/backend/cpu/unsorted-segment-sum.js';
import { registerCpuKernels } from '../../src/backend/cpu/register-cpu-kernels.js';
import { restoreOriginalKernels } from '../../src/backend/override-kernel.js';
import { segmentSumInto, segmentSumLayout } from '../../src/backend/segment-sum-into.js';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { wasmUnsortedSegmentSum } from '../../src/backend/wasm/unsorted-segment-sum.js';
import { ShapeError } from '../../src/utils/errors.js';
import { maxRelativeError, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
  registerCpuKernels();
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Result of tfjs's own cpu kernel (O(numSegments · size)), the semantics we match. */
async function tfjsCpuReference(f: () => tf.Tensor) {
  restoreOriginalKernels('cpu');
  try {
    return await runOn('cpu', f);
  } finally {
    registerCpuKernels();
  }
}

const cases: Array<{ name: string; xShape: number[]; ids: number[]; numSegments: number }> = [
  { name: '1-D values', xShape: [6], ids: [0, 2, 0, 1, 2, 2], numSegments: 3 },
  { name: 'rows with negative and out-of-range ids', xShape: [7, 3], ids: [1, -1, 4, 0, 1, 9, 3], numSegments: 4 },
  { name: 'rank-3 values', xShape: [5, 2, 3], ids: [2, 2, 0, -3, 1], numSegments: 3 },
  { name: 'no segments hit', xShape: [2, 2], ids: [-1, 7], numSegments: 3 },
];

describe('segmentSumInto', () => {
  it('sums by hand', () => {
    const out = new Float32Array(2);
    segmentSumInto(Float32Array.of(1, 2, 3), Int32Array.of(1, 0, 1), segmentSumLayout([3], [3], 2), out);
    expect(Array.from(out)).toEqual([2, 4]);
  });

  it('rejects ids that are not one per row, naming both shapes', () => {
    expect(() => segmentSumLayout([4, 3], [3], 2)).toThrow(ShapeError);
    expect(() => segmentSumLayout([4, 3], [3], 2)).toThrow(/\[3\].*\[4,3\]/);
    expect(() => segmentSumLayout([4, 3], [4, 3], 2)).toThrow(ShapeError);
    expect(() => segmentSumLayout([4], [4], -1)).toThrow(/numSegments \(-1\)/);
  });
});

describe('UnsortedSegmentSum kernels', () => {
  it('are registered for cpu and wasm', () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu').kernelFunc).toBe(cpuUnsortedSegmentSum);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm').kernelFunc).toBe(wasmUnsortedSegmentSum);
  });

  for (const { name, xShape, ids, numSegments } of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`match tfjs's cpu kernel: ${name}, ${dtype}`, async () => {
        const size = xShape.reduce((n, d) => n * d, 1);
        const values = Array.from({ length: size }, (_, i) => (i % 5) - 2 + (dtype === 'float32' ? 0.25 : 0));
        const f = () => tf.tidy(() =>
          tf.unsortedSegmentSum(tf.tensor(values, xShape, dtype), tf.tensor1d(ids, 'int32'), numSegments));
        const expected = await tfjsCpuReference(f);
        for (const backendName of ['cpu', 'wasm']) {
          const actual = await runOn(backendName, f);
          expect(actual.shape).toEqual(expected.shape);
          expect(actual.dtype).toBe(expected.dtype);
          expect(actual.values).toEqual(expected.values);
        }
      });
    }
  }

  it('give gather the same gradient on wasm as on cpu (embedding backward)', async () => {
    const table = tf.randomNormal([11, 4], 0, 1, 'float32', 3);
    const tokens = tf.tensor2d([[1, 5, 5, 0], [10, 1, 3, 5]], [2, 4], 'int32');
    const upstream = tf.randomNormal([2, 4, 4], 0, 1, 'float32', 4);
    const grad = () => tf.tidy(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tokens), upstream)))(table));
    const expected = await tfjsCpuReference(grad);
    const onCpu = await runOn('cpu', grad);
    const onWasm = await runOn('wasm', grad);
    expect(onCpu.shape).toEqual([11, 4]);
    expect(maxRelativeError(onCpu.values, expected.values)).toBeLessThan(1e-6);
    expect(maxRelativeError(onWasm.values, expected.values)).toBeLessThan(1e-6);
    // Rows of tokens never seen get no gradient.
    expect(onWasm.values.slice(2 * 4, 3 * 4)).toEqual([0, 0, 0, 0]);
    tf.dispose([table, tokens, upstream]);
  });

  for (const backendName of ['cpu', 'wasm']) {
    it(`leak no tensors on ${backendName}`, async () => {
      await tf.setBackend(backendName);
      const x = tf.randomNormal([6, 3], 0, 1, 'float32', 2);
      const ids = tf.tensor1d([0, 1, 0, 2, -1, 1], 'int32');
      const tensorsBefore = tf.memory().numTensors;
      const buffersBefore = tf.backend().numDataIds();
      tf.tidy(() => {
        tf.unsortedSegmentSum(x, ids, 3);
      });
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(tf.backend().numDataIds()).toBe(buffersBefore);
      tf.dispose([x, ids]);
    });
  }
});
