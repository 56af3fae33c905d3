import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelConfig, type FusedBackendName } from './fused-kernel.js';
import { geluTanhGradKernel, geluTanhKernel } from './gelu-tanh-kernels.js';
import { layerNormGradKernel, layerNormKernel } from './layer-norm-kernels.js';
import { softmaxCrossEntropyConfig, softmaxCrossEntropyGradKernel } from './softmax-cross-entropy-kernels.js';

function configsFor(backendName: FusedBackendName): readonly tf.KernelConfig[] {
  return [
    ...[layerNormKernel, layerNormGradKernel, geluTanhKernel, geluTanhGradKernel, softmaxCrossEntropyGradKernel]
      .map((spec) => fusedKernelConfig(spec, backendName)),
    softmaxCrossEntropyConfig(backendName),
  ];
}

// Built once, so registering again finds the very same kernel functions.
const CONFIGS: Readonly<Record<FusedBackendName, readonly tf.KernelConfig[]>> = {
  wasm: configsFor('wasm'),
  cpu: configsFor('cpu'),
};

/**
 * Registers wordforge's fused kernels (LayerNorm, tanh GELU, softmax cross-entropy, each with its
 * gradient; see {@link FUSED_KERNEL_NAMES}) for one backend. From then on `layerNorm`, `geluTanh`
 * and `crossEntropy` run one kernel forward and one backward on that backend instead of chains
 * of tfjs kernels. These are new kernel names, so nothing of tfjs's is replaced. Idempotent;
 * {@link unregisterFusedKernels} undoes it.
 *
 * @param backendName - `'wasm'` or `'cpu'` (the backends whose tensors JavaScript can read in place)
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * registerFusedKernels('wasm');
 * ```
 */
export function registerFusedKernels(backendName: FusedBackendName): void {
  for (const config of CONFIGS[backendName]) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
}

/**
 * Removes the kernels {@link registerFusedKernels} registered for one backend, so the ops take
 * their composite path of tfjs kernels again (to compare the two, or to measure tfjs as it comes).
 *
 * @param backendName - `'wasm'` or `'cpu'`
 * @example
 * ```ts
 * unregisterFusedKernels('wasm');
 * ```
 */
export function unregisterFusedKernels(backendName: FusedBackendName): void {
  for (const config of CONFIGS[backendName]) {
    if (tf.getKernel(config.kernelName, backendName) !== undefined) tf.unregisterKernel(config.kernelName, backendName);
  }
}
