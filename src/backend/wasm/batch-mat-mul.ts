import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../../utils/assert.js';
import { BackendError, ShapeError } from '../../utils/errors.js';
import type { KernelArgs } from '../override-kernel.js';
import { smallMatMulInto } from './small-mat-mul.js';
import { transposeTensor } from './transpose.js';
import {
  memoryOffset,
  registerHeapSlice,
  releaseHeapSlice,
  elementIndex,
  tensorView,
  wholeHeap,
  type WasmBackend,
} from './wasm-memory.js';

/** The C++ `BatchMatMul` entry of the tfjs wasm module. */
type WasmMatMul = (
  aId: number, aShape: Uint8Array, aRank: number,
  bId: number, bShape: Uint8Array, bRank: number,
  transposeA: boolean, transposeB: boolean, outId: number,
) => void;

const matMulByModule = new WeakMap<object, WasmMatMul>();

function wasmMatMul(backend: WasmBackend): WasmMatMul {
  let fn = matMulByModule.get(backend.wasm);
  if (fn == null) {
    fn = backend.wasm.cwrap(tf.BatchMatMul, null, [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number',
    ]) as WasmMatMul;
    matMulByModule.set(backend.wasm, fn);
  }
  return fn;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * One `[m, k] @ [k, n]` product on XNNPACK: tfjs's C++ kernel takes its fast path only for
 * untransposed operands with batch 1, so each operand is handed over as a slice of its parent's
 * memory (byte offsets), registered under a fresh tensor id and released right after.
 *
 * The C++ kernel packs `b` into an XNNPACK operator cached under `b`'s tensor id (dropped when
 * that id is disposed). A fresh id packs `b` on every call, which costs as much as the product
 * itself when `a` has few rows. `bTensorId`, when given, is `b`'s own tensor id instead (the
 * whole tensor starting at byte `b`), so that repeated products with the same weights (decoding,
 * one row per step) pack them once; tensors are immutable (no kernel writes into its inputs),
 * so the cached packing cannot go stale.
 */
function xnnMatMul(
  backend: WasmBackend, a: number, m: number, k: number, b: number, n: number, out: number, bTensorId?: number,
): void {
  const aId = registerHeapSlice(backend, a, m * k);
  const bId = bTensorId ?? registerHeapSlice(backend, b, k * n);
  const outId = registerHeapSlice(backend, out, m * n);
  wasmMatMul(backend)(aId, shapeBytes([1, m, k]), 3, bId, shapeBytes([1, k, n]), 3, false, false, outId);
  releaseHeapSlice(backend, aId);
  if (bTensorId === undefined) releaseHeapSlice(backend, bId);
  releaseHeapSlice(backend, outId);
}

/**
 * Most rows of a product whose right operand keeps its packing cached under its own tensor id
 * (see {@link xnnMatMul}): decoding multiplies one row per sequence (times beams) by the same
 * weights every step. Larger products (training) pack once per use anyway, and caching there
 * would keep a packed copy of every activation alive until it is disposed.
 */
const MAX_ROWS_CACHING_PACKED_WEIGHTS = 64;

/**
 * `[k, n]` each right operand's data was first packed as under its tensor id. The C++ cache key
 * is the id alone, and a reshape shares its input's data and id: a `[k, n]` weight reshaped to
 * another `[k', n']` would find a packing of the wrong shape, so it is multiplied under a fresh id.
 */
const packedShapes = new WeakMap<tf.DataId, string>();

/** `right`'s own tensor id when its packing may be cached as `[k, n]` (see {@link packedShapes}), else undefined. */
function cacheablePackingId(backend: WasmBackend, right: tf.TensorInfo, k: number, n: number): number | undefined {
  const shape = `${k},${n}`;
  const packed = packedShapes.get(right.dataId);
  if (packed === undefined) packedShapes.set(right.dataId, shape);
  return packed === undefined || packed === shape ? backend.dataIdMap.get(right.dataId).id : undefined;
}

/** Widest column block {@link xnnMatMulBlocked} hands to XNNPACK (see there). */
const MAX_BLOCK_COLUMNS = 512;
/** Fewest rows for which column blocks pay for their copies (decoding multiplies 1-8 rows). */
const MIN_BLOCKED_ROWS = 128;
/** Shortest inner dimension for which blocks helped (at k = 256 they made no difference). */
const MIN_BLOCKED_DEPTH = 512;

/**
 * `[m, k] @ [k, n]` like {@link xnnMatMul}, in column blocks of at most 512 when `n` is wider
 * (and `m` and `k` are large enough for it to pay).
 * Without a thread pool XNNPACK sweeps all `n` columns of its packed weights for every few rows
 * of `a`; with many columns and a long `k` they fall out of cache: the tied head's weight
 * gradient `[256, 1024] @ [1024, 8192]` ran at 22-23 GFLOP/s, in 512-column blocks at 28-30
 * (185 -> 145 ms). Each block of `b` is copied into a contiguous `[k, w]` buffer and each
 * `[m, w]` result into its columns of `out` (~4 ms of `copyWithin` per 8M values).
 */
function xnnMatMulBlocked(
  backend: WasmBackend, a: number, m: number, k: number, b: number, n: number, out: number,
): void {
  if (n <= MAX_BLOCK_COLUMNS || m < MIN_BLOCKED_ROWS || k < MIN_BLOCKED_DEPTH) {
    xnnMatMul(backend, a, m, k, b, n, out);
    return;
  }
  const blocks = Math.ceil(n / MAX_BLOCK_COLUMNS);
  const width = Math.ceil(n / blocks);
  const bBlock = backend.makeOutput([k, width], 'float32');
  const outBlock = backend.makeOutput([m, width], 'float32');
  const bBlockAt = memoryOffset(backend, bBlock);
  const outBlockAt = memoryOffset(backend, outBlock);
  // Element indices (float32) of the operands and the buffers.
  const [bAt, outAt, bBufAt, outBufAt] = [b / 4, out / 4, bBlockAt / 4, outBlockAt / 4];
  for (let j = 0; j < n; j += width) {
    const w = Math.min(width, n - j);
    // XNNPACK may grow the heap (packed weights), detaching older views: one view per step.
    let heap = wholeHeap(backend, 'float32');
    // b[:, j : j + w] -> [k, w]
    for (let r = 0; r < k; r++) heap.copyWithin(bBufAt + r * w, bAt + r * n + j, bAt + r * n + j + w);
    xnnMatMul(backend, a, m, k, bBlockAt, w, outBlockAt);
    heap = wholeHeap(backend, 'float32');
    // [m, w] -> out[:, j : j + w]
    for (let r = 0; r < m; r++) heap.copyWithin(outAt + r * n + j, outBufAt + r * w, outBufAt + r * w + w);
  }
  backend.disposeData(bBlock.dataId);
  backend.disposeData(outBlock.dataId);
}

/** Flat index into a (broadcast) batch of shape `from` for flat index `flat` of batch `to`. */
function broadcastIndex(flat: number, to: readonly number[], from: readonly number[]): number {
  let index = 0;
  let stride = 1;
  let rest = flat;
  for (let d = to.length - 1, s = from.length - 1; d >= 0; d--, s--) {
    const size = to[d] as number;
    const position = rest % size;
    rest = Math.floor(rest / size);
    if (s >= 0) {
      const fromSize = from[s] as number;
      if (fromSize !== 1) index += position * stride;
      stride *= fromSize;
    }
  }
  return index;
}

/** Axis order that swaps the last two of `rank` axes: `[...batch, r, c] -> [...batch, c, r]`. */
function swapLastTwo(rank: number): number[] {
  return [...Array(rank - 2).keys(), rank - 1, rank - 2];
}

/** out[o] = left[broadcast o] @ right[broadcast o] for row-major, untransposed operands. */
function multiplyBatches(
  backend: WasmBackend,
  left: tf.TensorInfo, right: tf.TensorInfo, out: tf.TensorInfo,
  m: number, k: number, n: number,
): void {
  const leftBatch = left.shape.slice(0, -2);
  const rightBatch = right.shape.slice(0, -2);
  const outBatch = out.shape.slice(0, -2);
  const leftBase = memoryOffset(backend, left);
  const rightBase = memoryOffset(backend, right);
  const outBase = memoryOffset(backend, out);
  if (sizeOf(rightBatch) === 1) {
    // One shared right operand (a Linear layer): all left batches are rows of one product.
    const rows = sizeOf(leftBatch) * m;
    if (rows <= MAX_ROWS_CACHING_PACKED_WEIGHTS) {
      xnnMatMul(backend, leftBase, rows, k, rightBase, n, outBase, cacheablePackingId(backend, right, k, n));
    } else {
      xnnMatMulBlocked(backend, leftBase, rows, k, rightBase, n, outBase);
    }
    return;
  }
  for (let o = 0; o < sizeOf(outBatch); o++) {
    const l = broadcastIndex(o, outBatch, leftBatch);
    const r = broadcastIndex(o, outBatch, rightBatch);
    xnnMatMulBlocked(backend, leftBase + 4 * l * m * k, m, k, rightBase + 4 * r * k * n, n, outBase + 4 * o * m * n);
  }
}

/**
 * Largest `m · k · n` of one slice of a batch of right operands multiplied in JavaScript
 * ({@link smallMatMulInto}) instead of XNNPACK, whose operator creation, packing and transposes
 * cost more than such a product: decoding attention with a KV cache (one query row, `Dh` 64) up
 * to 64 cached positions. Past that, both took about as long (bench/profile-generation.ts).
 */
const MAX_SMALL_PRODUCT = 4096;

/** `out[o] = op(left[broadcast o]) @ op(right[broadcast o])` for small slices, see {@link MAX_SMALL_PRODUCT}. */
function multiplySmall(
  backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo,
  transposeA: boolean, transposeB: boolean, m: number, k: number, n: number,
): void {
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = out.shape.slice(0, -2);
  const [aStart, bStart, outStart] = [a, b, out].map((x) => elementIndex(backend, x)) as [number, number, number];
  const heap = wholeHeap(backend, 'float32') as Float32Array;
  for (let o = 0; o < sizeOf(outBatch); o++) {
    const left = { start: aStart + broadcastIndex(o, outBatch, aBatch) * m * k, transposed: transposeA };
    const right = { start: bStart + broadcastIndex(o, outBatch, bBatch) * k * n, transposed: transposeB };
    smallMatMulInto(heap, left, right, m, k, n, outStart + o * m * n);
  }
}

/**
 * tfjs `BatchMatMul` kernel for the wasm backend that always reaches XNNPACK. tfjs 4.22's kernel
 * uses XNNPACK (30-37 GFLOP/s on one thread) only for untransposed operands with batch 1 and a
 * scalar loop (0.5-3 GFLOP/s) otherwise; it also mishandles broadcast batch dimensions. Here
 * transposes are materialised (or avoided by computing `Cᵀ = op(B)ᵀ op(A)ᵀ` when that moves
 * fewer elements), a shared right operand folds all batches into one product, and other batches
 * run one XNNPACK product per slice, the slices pointing into the operands' memory. Products of a
 * few rows by a shared right operand (decoding with a KV cache) keep XNNPACK's packing of that
 * operand between calls, and tiny per-batch slices (decoding attention) run in JavaScript.
 *
 * @param args - `inputs.a`: `[...batchA, M, K]` (`[..., K, M]` when `transposeA`); `inputs.b`:
 *   `[...batchB, K, N]` (`[..., N, K]` when `transposeB`); float32; batch dims broadcast
 * @returns `[...broadcast(batchA, batchB), M, N]`
 * @example
 * ```ts
 * overrideKernel(wasmBatchMatMulConfig); // then tf.matMul(q, k, false, true) runs here
 * ```
 */
export function wasmBatchMatMul(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const transposeA = args.attrs?.['transposeA'] === true;
  const transposeB = args.attrs?.['transposeB'] === true;
  assert(a.dtype === 'float32' && b.dtype === 'float32', BackendError,
    () => `BatchMatMul on wasm supports float32 only, got a: ${a.dtype}, b: ${b.dtype}`);
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  assert(k === kB, ShapeError, () => `matMul inner dimensions differ: a [${a.shape}] ` +
    `(transposeA ${transposeA}) has ${k}, b [${b.shape}] (transposeB ${transposeB}) has ${kB}`);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = tf.backend_util.assertAndGetBroadcastShape(aBatch, bBatch);
  if (sizeOf(outBatch) * m * n === 0 || k === 0) {
    const empty = backend.makeOutput([...outBatch, m, n], 'float32');
    tensorView(backend, empty).fill(0);
    return empty;
  }
  // A right operand shared by all batches keeps its packing (see xnnMatMul): only per-batch ones
  // (attention) are worth multiplying in JavaScript.
  if (sizeOf(bBatch) > 1 && m * k * n <= MAX_SMALL_PRODUCT) {
    const out = backend.makeOutput([...outBatch, m, n], 'float32');
    multiplySmall(backend, a, b, out, transposeA, transposeB, m, k, n);
    return out;
  }
  const temporaries: tf.TensorInfo[] = [];
  const upright = (x: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
    if (!transposed) return x;
    // [...batch, r, c] -> [...batch, c, r]
    const t = transposeTensor(backend, x, swapLastTwo(x.shape.length));
    temporaries.push(t);
    return t;
  };
  // Elements each plan copies: C = op(A) op(B) transposes the transposed operands; Cᵀ = op(B)ᵀ
  // op(A)ᵀ transposes the others and the result.
  const sizeA = sizeOf(a.shape);
  const sizeB = sizeOf(b.shape);
  const sizeOut = sizeOf(outBatch) * m * n;
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
  const swapped = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + sizeOut;
  let out: tf.TensorInfo;
  if (direct <= swapped) {
    out = backend.makeOutput([...outBatch, m, n], 'float32');
    multiplyBatches(backend, upright(a, transposeA), upright(b, transposeB), out, m, k, n);
  } else {
    const outT = backend.makeOutput([...outBatch, n, m], 'float32');
    temporaries.push(outT);
    multiplyBatches(backend, upright(b, !transposeB), upright(a, !transposeA), outT, n, k, m);
    // [...batch, N, M] -> [...batch, M, N]
    out = transposeTensor(backend, outT, swapLastTwo(outT.shape.length));
  }
  for (const t of temporaries) backend.disposeData(t.dataId);
  return out;
}

/** Registry entry of {@link wasmBatchMatMul}. */
export const wasmBatchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: wasmBatchMatMul as tf.KernelFunc,
};
