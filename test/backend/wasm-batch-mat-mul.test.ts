import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/backend/wasm/register-wasm-kernels.js';
import { wasmBatchMatMul } from '../../src/backend/wasm/batch-mat-mul.js';
import { BackendError } from '../../src/utils/errors.js';
import { maxRelativeError, runOn } from './compare.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Inputs of a product `op(A) @ op(B)` with A's logical shape [...aBatch, m, k]. */
function operands(
  aBatch: number[], bBatch: number[], m: number, k: number, n: number,
  transposeA: boolean, transposeB: boolean, seed: number,
): [tf.Tensor, tf.Tensor] {
  const aShape = [...aBatch, ...(transposeA ? [k, m] : [m, k])];
  const bShape = [...bBatch, ...(transposeB ? [n, k] : [k, n])];
  return [tf.randomNormal(aShape, 0, 1, 'float32', seed), tf.randomNormal(bShape, 0, 1, 'float32', seed + 1)];
}

/**
 * NumPy-semantics batched product built from broadcasting elementwise ops on cpu, independent of
 * any matMul kernel (tfjs's cpu kernel pairs batches by flat index modulo, which differs from
 * broadcasting when both batch shapes have size-1 axes in different places).
 */
function referenceMatMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return tf.tidy(() => {
    const swap = (x: tf.Tensor) => tf.transpose(x, [...Array(x.rank - 2).keys(), x.rank - 1, x.rank - 2]);
    const left = transposeA ? swap(a) : a; // [..., m, k]
    const right = transposeB ? swap(b) : b; // [..., k, n]
    // [..., m, k, 1] * [..., 1, k, n] -> [..., m, k, n] -> sum over k
    return tf.sum(tf.mul(tf.expandDims(left, -1), tf.expandDims(right, -3)), -2);
  });
}

const shapes: Array<{ name: string; aBatch: number[]; bBatch: number[]; m: number; k: number; n: number }> = [
  { name: '2D', aBatch: [], bBatch: [], m: 5, k: 7, n: 3 },
  { name: 'batch 3 both', aBatch: [3], bBatch: [3], m: 4, k: 6, n: 5 },
  { name: 'shared right operand (Linear)', aBatch: [2, 3], bBatch: [], m: 4, k: 6, n: 5 },
  { name: 'shared left operand', aBatch: [], bBatch: [3], m: 4, k: 6, n: 5 },
  { name: 'broadcast [2,1] x [3]', aBatch: [2, 1], bBatch: [3], m: 3, k: 4, n: 2 },
  { name: 'broadcast [1,3] x [2,1]', aBatch: [1, 3], bBatch: [2, 1], m: 2, k: 5, n: 3 },
  { name: 'tall transposed A (swapped plan)', aBatch: [], bBatch: [], m: 40, k: 6, n: 3 },
  { name: 'wide transposed B (swapped plan)', aBatch: [2], bBatch: [2], m: 3, k: 6, n: 40 },
  { name: 'attention-like', aBatch: [2, 2], bBatch: [2, 2], m: 8, k: 4, n: 8 },
  // Slices past the JavaScript limit (m·k·n 4096) go to XNNPACK per slice.
  { name: 'batched slices past the JavaScript limit', aBatch: [2], bBatch: [2], m: 16, k: 40, n: 30 },
  { name: 'broadcast past the JavaScript limit', aBatch: [2, 1], bBatch: [3], m: 16, k: 20, n: 16 },
  { name: 'decoding attention', aBatch: [1, 4], bBatch: [1, 4], m: 1, k: 64, n: 24 },
  { name: 'decoding attention, one row of probabilities', aBatch: [1, 4], bBatch: [1, 4], m: 1, k: 24, n: 64 },
  { name: 'decoding with a few rows by weights', aBatch: [], bBatch: [], m: 3, k: 64, n: 96 },
];

describe('wasm BatchMatMul override', () => {
  for (const { name, aBatch, bBatch, m, k, n } of shapes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`matches a broadcast multiply-sum: ${name}, transposeA=${transposeA}, transposeB=${transposeB}`, async () => {
          const [a, b] = operands(aBatch, bBatch, m, k, n, transposeA, transposeB, 7);
          const expected = await runOn('cpu', () => referenceMatMul(a, b, transposeA, transposeB));
          const actual = await runOn('wasm', () => tf.matMul(a, b, transposeA, transposeB));
          expect(actual.shape).toEqual(expected.shape);
          expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
          tf.dispose([a, b]);
        });
      }
    }
  }

  // Past 512 columns, 128 rows and 512 inner products run in column blocks (3 of 367 and 366
  // for n = 1100). Compared with cpu's matMul: the broadcast reference would need ~100M values.
  for (const { batch, m, k, n } of [{ batch: [], m: 130, k: 520, n: 1100 }, { batch: [2], m: 128, k: 512, n: 600 }]) {
    for (const transposeA of [false, true]) {
      it(`matches cpu in column blocks: [${batch}] ${m}x${k}x${n}, transposeA=${transposeA}`, async () => {
        const [a, b] = operands(batch, batch, m, k, n, transposeA, false, 13);
        const f = () => tf.matMul(a, b, transposeA, false);
        const expected = await runOn('cpu', f);
        const actual = await runOn('wasm', f);
        expect(actual.shape).toEqual(expected.shape);
        expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-4);
        tf.dispose([a, b]);
      });
    }
  }

  it('keeps products by the same weights right, and never reuses a packing for other weights', async () => {
    await tf.setBackend('wasm');
    // Few rows: the packing of the right operand is cached under its tensor id (decoding).
    const x = tf.randomNormal([2, 48], 0, 1, 'float32', 21);
    const expectedFor = (w: tf.Tensor) => runOn('cpu', () => referenceMatMul(x, w, false, false));
    for (let round = 0; round < 3; round++) {
      // A new weight of the same shape each round, possibly at the memory the last one freed.
      const w = tf.randomNormal([48, 40], 0, 1, 'float32', 100 + round);
      const expected = await expectedFor(w);
      for (let repeat = 0; repeat < 2; repeat++) {
        const actual = await runOn('wasm', () => tf.matMul(x, w));
        expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
      }
      w.dispose();
    }
    x.dispose();
  });

  it('does not reuse a packing for a reshape of the same weights (which shares their tensor id)', async () => {
    // Expected values first: switching backends moves tensors, giving them new wasm ids.
    const values = Array.from({ length: 96 }, (_, i) => Math.sin(i));
    const expected = await runOn('cpu', () => tf.concat([
      tf.reshape(tf.matMul(tf.ones([2, 12]), tf.tensor2d(values, [12, 8])), [-1]),
      tf.reshape(tf.matMul(tf.ones([2, 8]), tf.tensor2d(values, [8, 12])), [-1]),
    ]));
    await tf.setBackend('wasm');
    const w = tf.tensor2d(values, [12, 8]);
    const wide = tf.reshape(w, [8, 12]); // same data, same wasm tensor id
    const actual = await runOn('wasm', () => tf.tidy(() => tf.concat([
      tf.reshape(tf.matMul(tf.ones([2, 12]), w), [-1]), // packs w as [12, 8] under its id
      tf.reshape(tf.matMul(tf.ones([2, 8]), wide), [-1]),
    ])));
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
    tf.dispose([w, wide]);
  });

  it('uses the registered override', () => {
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).toBe(wasmBatchMatMul);
  });

  it('gives zeros for an empty inner dimension and empty output for an empty outer one', async () => {
    const zeros = await runOn('wasm', () => tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3])));
    expect(zeros.shape).toEqual([2, 3]);
    expect(zeros.values).toEqual([0, 0, 0, 0, 0, 0]);
    const empty = await runOn('wasm', () => tf.matMul(tf.zeros([0, 4]), tf.zeros([4, 3])));
    expect(empty.shape).toEqual([0, 3]);
  });

  it('computes hand-checked values', async () => {
    const out = await runOn('wasm', () =>
      tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), true, false));
    // [[1, 3], [2, 4]] @ [[5, 6], [7, 8]]
    expect(out.values).toEqual([26, 30, 38, 44]);
  });

  it('has gradients equal to cpu for every transpose combination', async () => {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const [a, b] = operands([2], [2], 3, 4, 5, transposeA, transposeB, 11);
        const loss = (x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
          tf.sum(tf.square(tf.matMul(x, y, transposeA, transposeB)));
        const grads = (backendName: string) => runOn(backendName, () => tf.tidy(() => {
          const [da, db] = tf.grads(loss)([a, b]) as [tf.Tensor, tf.Tensor];
          return tf.concat([tf.reshape(da, [-1]), tf.reshape(db, [-1])]);
        }));
        const expected = await grads('cpu');
        const actual = await grads('wasm');
        expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-5);
        tf.dispose([a, b]);
      }
    }
  });

  it('rejects non-float32 inputs with a BackendError naming the dtypes', async () => {
    await tf.setBackend('wasm');
    const a = tf.ones([2, 2], 'int32');
    expect(() => tf.matMul(a, a)).toThrow(BackendError);
    expect(() => tf.matMul(a, a)).toThrow(/int32/);
    a.dispose();
  });

  it('leaks no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    const [a, b] = operands([2, 1], [3], 6, 5, 4, true, true, 3);
    const [c, d] = operands([], [], 40, 6, 3, true, false, 5);
    const [e, f] = operands([], [], 128, 512, 513, false, false, 9);
    const [g, h] = operands([1, 4], [1, 4], 1, 64, 24, false, true, 15); // in JavaScript
    const [i, j] = operands([], [], 2, 32, 16, false, false, 17); // packing cached by tensor id
    const backend = tf.backend();
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backend.numDataIds();
    tf.tidy(() => {
      tf.matMul(a, b, true, true);
      tf.matMul(c, d, true, false);
      tf.matMul(c, tf.transpose(d), true, true);
      tf.matMul(e, f);
      tf.matMul(g, h, false, true);
      tf.matMul(i, j);
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(buffersBefore);
    tf.dispose([a, b, c, d, e, f, g, h, i, j]);
  });
});
