import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../override-kernel.js';
import { tensorView, type WasmBackend } from '../wasm/wasm-memory.js';

/**
 * Values of a kernel input as the body reads them (float32 data or int32 ids).
 *
 * @example
 * ```ts
 * const values: KernelValues = Int32Array.of(3, 1);
 * ```
 */
export type KernelValues = Float32Array | Int32Array;

/**
 * The backends whose tensors live in typed arrays JavaScript can read and write in place.
 *
 * @example
 * ```ts
 * const backendName: FusedBackendName = 'wasm';
 * ```
 */
export type FusedBackendName = 'wasm' | 'cpu';

/**
 * A fused kernel written once, as loops over typed arrays, for every {@link FusedBackendName}:
 * the backend adapters only find the inputs' memory and allocate the float32 outputs.
 *
 * @example
 * ```ts
 * const negate: FusedKernelSpec = {
 *   kernelName: 'MyNegate',
 *   inputNames: ['x'],
 *   outputShapes: ([x]) => [x!.shape],
 *   compute: ([x], [y]) => x!.forEach((v, i) => { y![i] = -v; }),
 * };
 * ```
 */
export interface FusedKernelSpec {
  /**
   * The registry name.
   *
   * @example
   * ```ts
   * const kernelName = 'WordforgeGeluTanh';
   * ```
   */
  readonly kernelName: string;
  /**
   * The input names, in the order {@link FusedKernelSpec.compute} receives them.
   *
   * @example
   * ```ts
   * const inputNames = ['dy', 'x'];
   * ```
   */
  readonly inputNames: readonly string[];
  /**
   * Shapes of the float32 outputs, from the inputs (in `inputNames` order) and attributes.
   *
   * @example
   * ```ts
   * const outputShapes = (inputs: readonly tf.TensorInfo[]) => [inputs[0]!.shape];
   * ```
   */
  outputShapes(inputs: readonly tf.TensorInfo[], attrs: tf.NamedAttrMap): number[][];
  /**
   * Writes every element of every output (their memory is not cleared beforehand).
   *
   * @example
   * ```ts
   * const compute = ([x]: readonly KernelValues[], [y]: readonly Float32Array[]) => y!.set(x!);
   * ```
   */
  compute(
    inputs: readonly KernelValues[],
    outputs: readonly Float32Array[],
    infos: readonly tf.TensorInfo[],
    attrs: tf.NamedAttrMap,
  ): void;
}

/** The parts of tfjs-backend-cpu's `MathBackendCPU` the adapter uses. */
interface CpuBackend {
  readonly data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** tfjs's convention: one output is returned alone, several as an array. */
const single = (outputs: tf.TensorInfo[]): tf.TensorInfo | tf.TensorInfo[] => (outputs.length === 1 ? outputs[0]! : outputs);

function orderedInputs(spec: FusedKernelSpec, args: KernelArgs): tf.TensorInfo[] {
  return spec.inputNames.map((name) => args.inputs[name] as tf.TensorInfo);
}

/**
 * The kernel function of `spec` on the wasm backend: outputs allocated in the wasm heap, inputs
 * and outputs read and written in place through views of it (no copies).
 *
 * @param spec - the kernel
 * @example
 * ```ts
 * declare const spec: FusedKernelSpec;
 * tf.registerKernel({ kernelName: spec.kernelName, backendName: 'wasm', kernelFunc: wasmFusedKernel(spec) });
 * ```
 */
export function wasmFusedKernel(spec: FusedKernelSpec): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const attrs = args.attrs ?? {};
    const infos = orderedInputs(spec, args);
    const outputs = spec.outputShapes(infos, attrs).map((shape) => backend.makeOutput(shape, 'float32'));
    // Views after the last allocation: growing the heap detaches older ones.
    const inputViews = infos.map((info) => tensorView(backend, info) as KernelValues);
    spec.compute(inputViews, outputs.map((out) => tensorView(backend, out) as Float32Array), infos, attrs);
    return single(outputs);
  }) as tf.KernelFunc;
}

/**
 * The kernel function of `spec` on the cpu backend: inputs read from the backend's typed arrays,
 * outputs written into fresh `Float32Array`s the backend then owns.
 *
 * @param spec - the kernel
 * @example
 * ```ts
 * declare const spec: FusedKernelSpec;
 * tf.registerKernel({ kernelName: spec.kernelName, backendName: 'cpu', kernelFunc: cpuFusedKernel(spec) });
 * ```
 */
export function cpuFusedKernel(spec: FusedKernelSpec): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as CpuBackend;
    const attrs = args.attrs ?? {};
    const infos = orderedInputs(spec, args);
    const shapes = spec.outputShapes(infos, attrs);
    const outputs = shapes.map((shape) => new Float32Array(sizeOf(shape)));
    spec.compute(infos.map((info) => backend.data.get(info.dataId).values as KernelValues), outputs, infos, attrs);
    return single(shapes.map((shape, i) => backend.makeTensorInfo(shape, 'float32', outputs[i])));
  }) as tf.KernelFunc;
}

/**
 * The registry entry of `spec` for one backend.
 *
 * @param spec - the kernel
 * @param backendName - `'wasm'` or `'cpu'`
 * @example
 * ```ts
 * declare const spec: FusedKernelSpec;
 * tf.registerKernel(fusedKernelConfig(spec, 'wasm'));
 * ```
 */
export function fusedKernelConfig(spec: FusedKernelSpec, backendName: FusedBackendName): tf.KernelConfig {
  const kernelFunc = backendName === 'wasm' ? wasmFusedKernel(spec) : cpuFusedKernel(spec);
  return { kernelName: spec.kernelName, backendName, kernelFunc };
}
