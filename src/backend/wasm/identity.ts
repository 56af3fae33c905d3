import type * as tf from '@tensorflow/tfjs-core';
import { runOriginalKernel, type KernelArgs } from '../override-kernel.js';
import type { WasmBackend } from './wasm-memory.js';

/**
 * tfjs `Identity` kernel for the wasm backend that shares the input's memory (one more reference)
 * instead of copying it, as tfjs's cpu backend does. Identity backs `tf.clone`, which `customGrad`
 * calls on every tensor it saves for the backward pass: tfjs 4.22's wasm kernel copied 237
 * tensors per small GPT step (26 ms), among them the `[1024, 8192]` softmax of the loss. No
 * kernel writes into its inputs, so sharing is safe; strings go to tfjs's kernel.
 *
 * @param args - `inputs.x`: any tensor on the wasm backend
 * @returns a tensor info with the same data, shape and dtype
 * @example
 * ```ts
 * overrideKernel(wasmIdentityConfig); // then tf.clone(x) costs no copy
 * ```
 */
export function wasmIdentity(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  if (x.dtype === 'string') {
    return runOriginalKernel('Identity', 'wasm', args) as tf.TensorInfo;
  }
  (args.backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Registry entry of {@link wasmIdentity}. */
export const wasmIdentityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: wasmIdentity as tf.KernelFunc,
};
