import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../override-kernel.js';
import { tensorView, type WasmBackend } from '../wasm/wasm-memory.js';
import { FUSED_KERNEL_NAMES } from './kernel-names.js';
import {
  crossEntropyRowScales, ignoreIndexOf, meanCrossEntropy, subtractTargetScales,
} from './softmax-cross-entropy-kernels.js';

/**
 * Runs the wasm backend's own kernel `kernelName` from inside one of ours: its output belongs to
 * the caller (returned as a kernel output, or released with `backend.disposeData`).
 */
function runWasmKernel(kernelName: string, backend: WasmBackend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm') as tf.KernelConfig;
  return kernel.kernelFunc({ inputs, backend, attrs } as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/**
 * `WordforgeSoftmaxCrossEntropy` on wasm: the `[N, V]` softmax is the backend's `Softmax` kernel
 * (XNNPACK's vectorised exp; a JavaScript loop has only the scalar `Math.exp`), the loss a
 * JavaScript pass over the `N` targets.
 *
 * @param args - `inputs.logits [N, V]` float32, `inputs.targets [N]` int32, `attrs.ignoreIndex`
 * @returns the scalar mean loss and `probs [N, V]`
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: 'WordforgeSoftmaxCrossEntropy', backendName: 'wasm', kernelFunc: wasmSoftmaxCrossEntropy as tf.KernelFunc });
 * ```
 */
export function wasmSoftmaxCrossEntropy(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const logits = args.inputs['logits'] as tf.TensorInfo;
  const targets = args.inputs['targets'] as tf.TensorInfo;
  const probs = runWasmKernel(tf.Softmax, backend, { logits }, { dim: 1 });
  const loss = backend.makeOutput([], 'float32');
  // Views after the last allocation: growing the heap detaches older ones.
  (tensorView(backend, loss) as Float32Array)[0] = meanCrossEntropy(
    tensorView(backend, logits) as Float32Array, tensorView(backend, probs) as Float32Array,
    tensorView(backend, targets) as Int32Array, logits.shape[1] as number, ignoreIndexOf(args.attrs ?? {}));
  return [loss, probs];
}

/**
 * `WordforgeSoftmaxCrossEntropyGrad` on wasm: `probs · rowScale` through the backend's vectorised
 * `Multiply` (one `[N, V]` pass, ignored rows scaled by 0), then the one-hot term subtracted at
 * the `N` targets in JavaScript.
 *
 * @param args - `inputs.dy` scalar, `inputs.probs [N, V]`, `inputs.targets [N]`, `attrs.ignoreIndex`
 * @returns `dlogits [N, V]`
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: 'WordforgeSoftmaxCrossEntropyGrad', backendName: 'wasm', kernelFunc: wasmSoftmaxCrossEntropyGrad as tf.KernelFunc });
 * ```
 */
export function wasmSoftmaxCrossEntropyGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const probs = args.inputs['probs'] as tf.TensorInfo;
  const targets = args.inputs['targets'] as tf.TensorInfo;
  const [rows, vocab] = probs.shape as [number, number];
  const dy = (tensorView(backend, args.inputs['dy'] as tf.TensorInfo) as Float32Array)[0] as number;
  const rowScales = crossEntropyRowScales(dy, tensorView(backend, targets) as Int32Array, ignoreIndexOf(args.attrs ?? {}));
  const scales = backend.makeOutput([rows, 1], 'float32');
  (tensorView(backend, scales) as Float32Array).set(rowScales);
  const dlogits = runWasmKernel(tf.Multiply, backend, { a: probs, b: scales }); // [N, V] * [N, 1]
  backend.disposeData(scales.dataId);
  // Views after the last allocation: growing the heap detaches older ones.
  subtractTargetScales(tensorView(backend, dlogits) as Float32Array, tensorView(backend, targets) as Int32Array, rowScales, vocab);
  return dlogits;
}

/**
 * Registry entries of {@link wasmSoftmaxCrossEntropy} and {@link wasmSoftmaxCrossEntropyGrad}.
 *
 * @example
 * ```ts
 * WASM_SOFTMAX_CROSS_ENTROPY_CONFIGS.forEach((config) => tf.registerKernel(config));
 * ```
 */
export const WASM_SOFTMAX_CROSS_ENTROPY_CONFIGS: readonly tf.KernelConfig[] = [
  { kernelName: FUSED_KERNEL_NAMES.softmaxCrossEntropy, backendName: 'wasm', kernelFunc: wasmSoftmaxCrossEntropy as tf.KernelFunc },
  { kernelName: FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad, backendName: 'wasm', kernelFunc: wasmSoftmaxCrossEntropyGrad as tf.KernelFunc },
];
