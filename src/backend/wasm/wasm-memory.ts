import type * as tf from '@tensorflow/tfjs-core';

/** Emscripten-side functions of the tfjs wasm module that our kernels call. */
interface WasmModule {
  /** The whole wasm heap; replaced (old views detached) whenever the heap grows. */
  readonly HEAPU8: Uint8Array;
  readonly tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
  cwrap(name: string, returnType: null, argTypes: string[]): (...args: unknown[]) => void;
}

/** Bookkeeping that `BackendWasm` keeps for each tensor. */
interface WasmTensorData {
  readonly id: number;
  readonly memoryOffset: number;
}

/**
 * The parts of tfjs-backend-wasm 4.22's `BackendWasm` our kernels use. Some are private in its
 * typings (`dataIdNextNumber`), hence this narrow view instead of the exported class.
 */
export interface WasmBackend {
  readonly wasm: WasmModule;
  readonly dataIdMap: { get(dataId: tf.DataId): WasmTensorData };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
  incRef(dataId: tf.DataId): void;
}

/** Typed array of the given tfjs dtype (wasm stores bool as one byte). */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Bytes per element of each dtype as the wasm backend stores it (bool as one byte). */
function bytesPerElement(dtype: tf.DataType): number {
  return dtype === 'bool' ? 1 : 4;
}

/**
 * The byte offset of a tensor's data in the wasm heap.
 *
 * @param backend - the active wasm backend
 * @param info - a tensor on that backend
 * @example
 * ```ts
 * declare const backend: WasmBackend, out: tf.TensorInfo;
 * const offset = memoryOffset(backend, out);
 * ```
 */
export function memoryOffset(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

/**
 * The element index of a tensor's first value in {@link wholeHeap} of its dtype.
 *
 * @param backend - the active wasm backend
 * @param info - a tensor on that backend
 * @example
 * ```ts
 * declare const backend: WasmBackend, x: tf.TensorInfo;
 * const heap = wholeHeap(backend, 'float32');
 * const first = heap[elementIndex(backend, x)];
 * ```
 */
export function elementIndex(backend: WasmBackend, info: tf.TensorInfo): number {
  return memoryOffset(backend, info) / bytesPerElement(info.dtype);
}

/**
 * A typed-array view (no copy) of the whole wasm heap as elements of `dtype`. Views go stale
 * when the heap grows: take them after the last allocation of a kernel.
 *
 * @param backend - the active wasm backend
 * @param dtype - element type; `bool` maps to bytes, as the wasm backend stores it
 * @example
 * ```ts
 * declare const backend: WasmBackend;
 * const heap = wholeHeap(backend, 'float32');
 * ```
 */
export function wholeHeap(backend: WasmBackend, dtype: tf.DataType): HeapArray {
  const buffer = backend.wasm.HEAPU8.buffer;
  if (dtype === 'float32') return new Float32Array(buffer);
  if (dtype === 'int32') return new Int32Array(buffer);
  return new Uint8Array(buffer);
}

/**
 * A typed-array view (no copy) of one tensor's data in the wasm heap.
 *
 * @param backend - the active wasm backend
 * @param info - a tensor on that backend (float32, int32 or bool)
 * @example
 * ```ts
 * declare const backend: WasmBackend, x: tf.TensorInfo;
 * const xs = tensorView(backend, x) as Float32Array;
 * ```
 */
export function tensorView(backend: WasmBackend, info: tf.TensorInfo): HeapArray {
  const start = elementIndex(backend, info);
  const size = info.shape.reduce((n, d) => n * d, 1);
  return wholeHeap(backend, info.dtype).subarray(start, start + size);
}

/**
 * Registers, with the C++ side of the backend, a tensor id for `size` float32 elements at byte
 * `offset` of existing memory (a slice of another tensor), without allocating or copying. The
 * caller must release it with {@link releaseHeapSlice}; a fresh id each time keeps C++ caches
 * keyed by tensor id (XNNPACK's packed weights) from ever seeing stale data.
 *
 * @param backend - the active wasm backend
 * @param offset - byte offset of the slice
 * @param size - number of elements in the slice
 * @returns the tensor id to pass to wasm kernels
 * @example
 * ```ts
 * // the i-th [m, k] float32 matrix of a batch stored at byte `offset`
 * declare const backend: WasmBackend, offset: number, m: number, k: number, i: number;
 * const id = registerHeapSlice(backend, offset + 4 * m * k * i, m * k);
 * // ... call a wasm kernel with id ...
 * releaseHeapSlice(backend, id);
 * ```
 */
export function registerHeapSlice(backend: WasmBackend, offset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}

/**
 * Forgets a slice registered by {@link registerHeapSlice} (and any C++ cache entry keyed on it);
 * the memory itself belongs to the parent tensor and stays.
 *
 * @param backend - the active wasm backend
 * @param id - the id {@link registerHeapSlice} returned
 * @example
 * ```ts
 * declare const backend: WasmBackend, id: number; // id from registerHeapSlice
 * releaseHeapSlice(backend, id);
 * ```
 */
export function releaseHeapSlice(backend: WasmBackend, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}
