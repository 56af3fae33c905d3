import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { transposeInto, wasmTranspose } from '../../src/backend/wasm/transpose.js';
import { expectNoLeaks, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('transposeInto', () => {
  it('transposes a 2x3 matrix by hand', () => {
    const buf = Float32Array.of(1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0);
    transposeInto(buf, 0, [2, 3], [1, 0], 6);
    expect(Array.from(buf.subarray(6))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('splits attention heads by hand: [1, 2, 2, 2] with perm [0, 2, 1, 3]', () => {
    // [B=1, T=2, H=2, Dh=2]: t0h0=(0,1) t0h1=(2,3) t1h0=(4,5) t1h1=(6,7)
    const buf = new Int32Array(16);
    buf.set([0, 1, 2, 3, 4, 5, 6, 7]);
    transposeInto(buf, 0, [1, 2, 2, 2], [0, 2, 1, 3], 8);
    expect(Array.from(buf.subarray(8))).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
  });

  it('handles tiles that do not divide the matrix (70 x 33)', () => {
    const rows = 70;
    const cols = 33;
    const buf = new Float32Array(2 * rows * cols);
    for (let i = 0; i < rows * cols; i++) buf[i] = i;
    transposeInto(buf, 0, [rows, cols], [1, 0], rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) expect(buf[rows * cols + c * rows + r]).toBe(r * cols + c);
    }
  });
});

const cases: Array<[number[], number[]]> = [
  [[5, 7], [1, 0]],
  [[5, 7], [0, 1]],
  [[2, 3, 4], [0, 2, 1]],
  [[2, 3, 4], [2, 0, 1]],
  [[2, 3, 4], [1, 2, 0]],
  [[2, 5, 3, 4], [0, 2, 1, 3]],
  [[2, 5, 3, 4], [0, 2, 3, 1]],
  [[2, 5, 3, 4], [3, 2, 1, 0]],
  [[2, 1, 3, 1, 4], [4, 1, 3, 0, 2]],
  [[2, 3, 2, 3, 2], [1, 0, 4, 2, 3]],
  [[1, 1, 6], [2, 0, 1]],
  [[40, 70], [1, 0]],
];

describe('wasm Transpose override', () => {
  it('is the registered kernel', () => {
    expect(tf.getKernel('Transpose', 'wasm').kernelFunc).toBe(wasmTranspose);
  });

  for (const [shape, perm] of cases) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      it(`matches cpu for ${dtype} [${shape}] perm [${perm}]`, async () => {
        const size = shape.reduce((n, d) => n * d, 1);
        const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 1.5 - 7));
        const x = () => tf.tensor(values as number[], shape, dtype);
        const expected = await runOn('cpu', () => tf.tidy(() => tf.transpose(x(), perm)));
        const actual = await runOn('wasm', () => tf.tidy(() => tf.transpose(x(), perm)));
        expect(actual.shape).toEqual(expected.shape);
        expect(actual.dtype).toBe(dtype);
        expect(actual.values).toEqual(expected.values);
      });
    }
  }

  it('leaks no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 1);
    expectNoLeaks(() => tf.tidy(() => {
      tf.transpose(x, [0, 2, 1, 3]);
      tf.transpose(x, [3, 1, 2, 0]);
    }));
    x.dispose();
  });
});
