import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../../utils/assert.js';
import { BackendError } from '../../utils/errors.js';
import type { KernelArgs } from '../override-kernel.js';
import { elementIndex, wholeHeap, type HeapArray, type WasmBackend } from './wasm-memory.js';

/** A transpose reduced to its essentials: no size-1 dims, adjacent moved-together dims merged. */
interface ReducedTranspose {
  readonly shape: number[];
  readonly perm: number[];
}

/**
 * Drops size-1 dimensions and merges input dimensions that stay adjacent and in order in the
 * output (`[B, T, H, Dh]` with perm `[0, 2, 1, 3]` stays rank 4; `[B, T, D]` with `[0, 1, 2]`
 * becomes rank 1). Fewer, longer dimensions mean longer contiguous runs to copy.
 */
function reduceTranspose(shape: readonly number[], perm: readonly number[]): ReducedTranspose {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Runs of consecutive input axes, in output order: each run becomes one merged axis.
  const runs: number[][] = [];
  for (const axis of kept) {
    const last = runs[runs.length - 1];
    if (last != null && last[last.length - 1] === axis - 1) last.push(axis);
    else runs.push([axis]);
  }
  const byInputOrder = [...runs].sort((r1, r2) => (r1[0] as number) - (r2[0] as number));
  const reducedShape = byInputOrder.map((run) => run.reduce((n, axis) => n * (shape[axis] as number), 1));
  const reducedPerm = runs.map((run) => byInputOrder.indexOf(run));
  return { shape: reducedShape, perm: reducedPerm };
}

/**
 * Transposes `size(shape)` elements of `heap` starting at element `xStart` into the same array at
 * element `outStart` (the two ranges must not overlap), following tfjs's `perm` convention: output
 * axis `i` is input axis `perm[i]`. Working inside one array lets contiguous runs move with
 * `copyWithin` (a native memmove) when the last axis stays last; otherwise a blocked 2D transpose
 * between the input's and the output's last axes keeps power-of-two strides from thrashing cache.
 *
 * @param heap - holds both input and output (for wasm: a view of the whole heap)
 * @param xStart - element index of the input
 * @param shape - input shape
 * @param perm - permutation of `0..rank-1`
 * @param outStart - element index of the output
 * @example
 * ```ts
 * const buf = Float32Array.of(1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0);
 * transposeInto(buf, 0, [2, 3], [1, 0], 6); // buf.subarray(6) = [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeInto(
  heap: HeapArray,
  xStart: number,
  shape: readonly number[],
  perm: readonly number[],
  outStart: number,
): void {
  const t = reduceTranspose(shape, perm);
  const rank = t.shape.length;
  const size = t.shape.reduce((n, d) => n * d, 1);
  if (rank <= 1) {
    heap.copyWithin(outStart, xStart, xStart + size);
    return;
  }
  const inStrides = stridesOf(t.shape);
  const outStrides = stridesOf(t.perm.map((axis) => t.shape[axis] as number));
  if (t.perm[rank - 1] === rank - 1) {
    const run = t.shape[rank - 1] as number;
    const outer = t.perm.slice(0, rank - 1);
    forEachOffset(
      outer.map((axis) => t.shape[axis] as number),
      outer.map((axis) => inStrides[axis] as number),
      outStrides.slice(0, rank - 1),
      xStart,
      outStart,
      (i, o) => heap.copyWithin(o, i, i + run),
    );
    return;
  }
  const rowAxis = t.perm[rank - 1] as number; // input axis that becomes the output's last
  const rows = t.shape[rowAxis] as number;
  const cols = t.shape[rank - 1] as number; // input's last (contiguous) axis
  const rowStride = inStrides[rowAxis] as number;
  const colOutStride = outStrides[t.perm.indexOf(rank - 1)] as number;
  const others = t.perm
    .map((axis, position) => [axis, position] as const)
    .filter(([axis]) => axis !== rowAxis && axis !== rank - 1);
  forEachOffset(
    others.map(([axis]) => t.shape[axis] as number),
    others.map(([axis]) => inStrides[axis] as number),
    others.map(([, position]) => outStrides[position] as number),
    xStart,
    outStart,
    (i, o) => transposeBlocked(heap, i, rows, cols, rowStride, o, colOutStride),
  );
}

/** Row-major strides of `shape`. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d] as number;
  }
  return strides;
}

/**
 * Calls `visit(inOffset, outOffset)` for every multi-index over `sizes`, where each axis moves the
 * input offset by `inSteps[d]` and the output offset by `outSteps[d]` (an odometer).
 */
function forEachOffset(
  sizes: readonly number[],
  inSteps: readonly number[],
  outSteps: readonly number[],
  inStart: number,
  outStart: number,
  visit: (inOffset: number, outOffset: number) => void,
): void {
  const index = new Array<number>(sizes.length).fill(0);
  let inOffset = inStart;
  let outOffset = outStart;
  for (;;) {
    visit(inOffset, outOffset);
    let d = sizes.length - 1;
    for (; d >= 0; d--) {
      const next = (index[d] as number) + 1;
      inOffset += inSteps[d] as number;
      outOffset += outSteps[d] as number;
      if (next < (sizes[d] as number)) {
        index[d] = next;
        break;
      }
      index[d] = 0;
      inOffset -= next * (inSteps[d] as number);
      outOffset -= next * (outSteps[d] as number);
    }
    if (d < 0) return;
  }
}

const TILE = 32;

/** out[c * colOutStride + r] = x[r * rowStride + c] for a rows x cols block, in 32x32 tiles. */
function transposeBlocked(
  heap: HeapArray,
  x: number,
  rows: number,
  cols: number,
  rowStride: number,
  out: number,
  colOutStride: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let c = c0; c < c1; c++) {
        const o = out + c * colOutStride;
        for (let r = r0, i = x + r0 * rowStride + c; r < r1; r++, i += rowStride) {
          heap[o + r] = heap[i] as number;
        }
      }
    }
  }
}

/**
 * Copies a wasm tensor into a new tensor with its axes permuted (see {@link transposeInto}).
 *
 * @param backend - the active wasm backend
 * @param x - any shape, float32/int32/bool
 * @param perm - output axis `i` is input axis `perm[i]`
 * @returns a new tensor of shape `x.shape` permuted by `perm`, owned by the caller
 * @example
 * ```ts
 * import type { WasmBackend } from './wasm-memory.js';
 * declare const backend: WasmBackend, k: tf.TensorInfo;
 * const kT = transposeTensor(backend, k, [0, 2, 1]); // [B, T, Dh] -> [B, Dh, T]
 * ```
 */
export function transposeTensor(backend: WasmBackend, x: tf.TensorInfo, perm: readonly number[]): tf.TensorInfo {
  assert(x.dtype !== 'string' && x.dtype !== 'complex64', BackendError,
    () => `Transpose on wasm supports float32, int32 and bool tensors, not ${x.dtype}`);
  // [d0, d1, ...] -> [d_perm0, d_perm1, ...]
  const out = backend.makeOutput(perm.map((axis) => x.shape[axis] as number), x.dtype);
  const heap = wholeHeap(backend, x.dtype);
  transposeInto(heap, elementIndex(backend, x), x.shape, perm, elementIndex(backend, out));
  return out;
}

/**
 * tfjs `Transpose` kernel for the wasm backend, done in JavaScript on views of the wasm heap
 * (see {@link transposeInto}). tfjs's C++ kernel writes 2D transposes with a stride of the row
 * length: on a [1024, 256] matrix it took 2.3-3.7 ms against 0.4-0.5 ms here, on the [8192, 256]
 * tied embedding 40 ms against 4 ms. Those are the transposes `wasmBatchMatMul` materialises.
 *
 * @param args - `inputs.x`: any shape, float32/int32/bool; `attrs.perm`: permutation of its axes
 * @returns a new tensor of shape `x.shape` permuted by `perm`
 * @example
 * ```ts
 * overrideKernel(wasmTransposeConfig); // then tf.transpose(x, [0, 2, 1, 3]) runs here
 * ```
 */
export function wasmTranspose(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  return transposeTensor(args.backend as WasmBackend, x, (args.attrs?.['perm'] ?? []) as number[]);
}

/** Registry entry of {@link wasmTranspose}. */
export const wasmTransposeConfig: tf.KernelConfig = {
  kernelName: tf.Transpose,
  backendName: 'wasm',
  kernelFunc: wasmTranspose as tf.KernelFunc,
};
