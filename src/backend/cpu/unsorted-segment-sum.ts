import * as tf from '@tensorflow/tfjs-core';
import { segmentSumInto, segmentSumLayout } from '../segment-sum-into.js';
import type { KernelArgs } from '../override-kernel.js';

/** The parts of tfjs-backend-cpu's `MathBackendCPU` this kernel uses. */
interface CpuBackend {
  readonly data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/**
 * O(size(x)) `UnsortedSegmentSum` kernel for the cpu backend. tfjs's own builds one mask per
 * segment, O(numSegments · size(x)): the embedding gradient of a 50257-token vocabulary took 25
 * minutes a step. Same results as tfjs's (see {@link segmentSumInto}), ids outside
 * `[0, numSegments)` skipped, float32 output.
 *
 * @param args - `inputs.x`: `[N, ...rest]`; `inputs.segmentIds`: int32, a prefix of `x`'s shape;
 *   `attrs.numSegments`
 * @returns float32 `[numSegments, ...x.shape.slice(1)]`
 * @example
 * ```ts
 * overrideKernel(cpuUnsortedSegmentSumConfig);
 * ```
 */
export function cpuUnsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const ids = args.inputs['segmentIds'] as tf.TensorInfo;
  const layout = segmentSumLayout(x.shape, ids.shape, args.attrs?.['numSegments'] as number);
  const out = new Float32Array(layout.outShape.reduce((n, d) => n * d, 1));
  const xValues = backend.data.get(x.dataId).values as tf.TypedArray;
  const idValues = backend.data.get(ids.dataId).values as Int32Array;
  segmentSumInto(xValues, idValues, layout, out);
  return backend.makeTensorInfo(layout.outShape, 'float32', out);
}

/** Registry entry of {@link cpuUnsortedSegmentSum}. */
export const cpuUnsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: cpuUnsortedSegmentSum as tf.KernelFunc,
};
