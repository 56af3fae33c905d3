import * as tf from '@tensorflow/tfjs-core';
import { runOriginalKernel, type KernelArgs } from '../override-kernel.js';
import { elementIndex, tensorView, wholeHeap, type WasmBackend } from './wasm-memory.js';

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/**
 * tfjs `GatherV2` kernel (`tf.gather`) for the wasm backend that copies whole slices with
 * `copyWithin` inside the wasm heap. tfjs 4.22's kernel computes an index per element: the token
 * embedding lookup of a small GPT step (`[8192, 256]` table, 1024 ids) took 8.7 ms, 0.1 ms here;
 * with `batchDims` it read uninitialised memory (here the result is cpu's). String tensors and
 * ids outside the axis go to tfjs's kernel, so its behaviour (and its errors) stay those of tfjs.
 *
 * @param args - `inputs.x`: any shape; `inputs.indices`: int32 ids into `x.shape[axis]`;
 *   `attrs.axis`, `attrs.batchDims`
 * @returns `[...x.shape[:axis], ...indices.shape[batchDims:], ...x.shape[axis + 1:]]`
 * @example
 * ```ts
 * overrideKernel(wasmGatherV2Config); // then tf.gather(table, ids) runs here
 * ```
 */
export function wasmGatherV2(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const indices = args.inputs['indices'] as tf.TensorInfo;
  const axis = tf.util.parseAxisParam((args.attrs?.['axis'] ?? 0) as number, x.shape)[0] as number;
  const batchDims = (args.attrs?.['batchDims'] ?? 0) as number;
  const axisSize = x.shape[axis] as number;
  const supported = indices.dtype === 'int32' && x.dtype !== 'string' && x.dtype !== 'complex64'
    && (tensorView(backend, indices) as Int32Array).every((id) => id >= 0 && id < axisSize);
  if (!supported) return runOriginalKernel(tf.GatherV2, 'wasm', args) as tf.TensorInfo;
  // [...batch, ...middle, axisSize, ...rest] with ids [...batch, ...idsRest]
  //   -> [...batch, ...middle, ...idsRest, ...rest]
  const outShape = [...x.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...x.shape.slice(axis + 1)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views after the allocation: growing the heap detaches older ones.
  const ids = tensorView(backend, indices) as Int32Array;
  const heap = wholeHeap(backend, x.dtype);
  const batch = product(x.shape.slice(0, batchDims));
  const middle = product(x.shape.slice(batchDims, axis));
  const idsPerBatch = product(indices.shape.slice(batchDims));
  const inner = product(x.shape.slice(axis + 1));
  const from = elementIndex(backend, x);
  let to = elementIndex(backend, out);
  for (let b = 0; b < batch; b++) {
    const batchIds = ids.subarray(b * idsPerBatch, (b + 1) * idsPerBatch);
    for (let m = 0; m < middle; m++) {
      const base = from + (b * middle + m) * axisSize * inner;
      for (const id of batchIds) {
        heap.copyWithin(to, base + id * inner, base + (id + 1) * inner);
        to += inner;
      }
    }
  }
  return out;
}

/** Registry entry of {@link wasmGatherV2}. */
export const wasmGatherV2Config: tf.KernelConfig = {
  kernelName: tf.GatherV2,
  backendName: 'wasm',
  kernelFunc: wasmGatherV2 as tf.KernelFunc,
};
