import type * as tf from '@tensorflow/tfjs-core';
import { runOriginalKernel, type KernelArgs } from '../override-kernel.js';
import { elementIndex, wholeHeap, type WasmBackend } from './wasm-memory.js';

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/**
 * tfjs `Unpack` kernel (`tf.unstack`) for the wasm backend: each output is copied with
 * `copyWithin` inside the wasm heap, one contiguous run per index of the axes before `axis`.
 * tfjs 4.22 builds each output with its `Slice` kernel, which reads the whole input out of wasm
 * memory every call: splitting the fused `[3, B, H, T, Dh]` attention projection took 5-28 ms
 * a call (0.5 ms here).
 *
 * @param args - `inputs.value`: any shape, float32/int32/bool; `attrs.axis`: the axis to split
 * @returns `value.shape[axis]` tensors of `value.shape` without `axis`
 * @example
 * ```ts
 * overrideKernel(wasmUnpackConfig); // then tf.unstack(qkv) runs here
 * ```
 */
export function wasmUnpack(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const value = args.inputs['value'] as tf.TensorInfo;
  if (value.dtype === 'string' || value.dtype === 'complex64') {
    return runOriginalKernel('Unpack', 'wasm', args) as tf.TensorInfo[];
  }
  const rank = value.shape.length;
  const rawAxis = (args.attrs?.['axis'] ?? 0) as number;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const count = value.shape[axis] as number;
  const outShape = value.shape.filter((_, d) => d !== axis);
  const outer = product(value.shape.slice(0, axis));
  const inner = product(value.shape.slice(axis + 1));
  const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype));
  // Views after the allocations: growing the heap detaches older ones.
  const heap = wholeHeap(backend, value.dtype);
  const from = elementIndex(backend, value);
  outs.forEach((out, i) => {
    const to = elementIndex(backend, out);
    for (let o = 0; o < outer; o++) {
      const start = from + (o * count + i) * inner;
      heap.copyWithin(to + o * inner, start, start + inner);
    }
  });
  return outs;
}

/** Registry entry of {@link wasmUnpack}. */
export const wasmUnpackConfig: tf.KernelConfig = {
  kernelName: 'Unpack',
  backendName: 'wasm',
  kernelFunc: wasmUnpack as tf.KernelFunc,
};
