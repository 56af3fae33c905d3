import * as tf from '@tensorflow/tfjs-core';
import { segmentSumInto, segmentSumLayout } from '../segment-sum-into.js';
import type { KernelArgs } from '../override-kernel.js';
import { tensorView, type WasmBackend } from './wasm-memory.js';

/**
 * tfjs `UnsortedSegmentSum` kernel for the wasm backend, which ships none. It is the gradient of
 * `tf.gather`, so every embedding needs it to train. Semantics follow tfjs's cpu kernel (see
 * {@link segmentSumInto}): ids outside `[0, numSegments)` are skipped and the result is float32.
 *
 * @param args - `inputs.x`: `[N, ...rest]`; `inputs.segmentIds`: int32, a prefix of `x`'s shape;
 *   `attrs.numSegments`
 * @returns float32 `[numSegments, ...x.shape.slice(1)]`
 * @example
 * ```ts
 * overrideKernel(wasmUnsortedSegmentSumConfig); // then tf.grad of tf.gather works on wasm
 * ```
 */
export function wasmUnsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const ids = args.inputs['segmentIds'] as tf.TensorInfo;
  const layout = segmentSumLayout(x.shape, ids.shape, args.attrs?.['numSegments'] as number);
  const out = backend.makeOutput(layout.outShape, 'float32');
  // Views after the allocation: growing the heap detaches older ones.
  const outValues = tensorView(backend, out) as Float32Array;
  outValues.fill(0);
  segmentSumInto(tensorView(backend, x), tensorView(backend, ids) as Int32Array, layout, outValues);
  return out;
}

/** Registry entry of {@link wasmUnsortedSegmentSum}. */
export const wasmUnsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: wasmUnsortedSegmentSum as tf.KernelFunc,
};
