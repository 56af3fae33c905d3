import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelConfig, type FusedBackendName, type FusedKernelSpec } from './fused-kernel.js';
import { geluTanhGradKernel, geluTanhKernel } from './gelu-tanh-kernels.js';
import { layerNormGradKernel, layerNormKernel } from './layer-norm-kernels.js';
import { softmaxCrossEntropyGradKernel, softmaxCrossEntropyKernel } from './softmax-cross-entropy-kernels.js';
import { WASM_SOFTMAX_CROSS_ENTROPY_CONFIGS } from './softmax-cross-entropy-wasm.js';

/**
 * The ops with a fused path: each has a forward and a gradient kernel.
 *
 * @example
 * ```ts
 * const ops: FusedOpName[] = ['layerNorm', 'crossEntropy'];
 * ```
 */
export type FusedOpName = 'layerNorm' | 'geluTanh' | 'crossEntropy';

/**
 * Every {@link FusedOpName}.
 *
 * @example
 * ```ts
 * registerFusedKernels('wasm', FUSED_OP_NAMES); // all three, whatever the measured defaults
 * ```
 */
export const FUSED_OP_NAMES: readonly FusedOpName[] = Object.freeze(['layerNorm', 'geluTanh', 'crossEntropy'] as const);

/**
 * The fused ops {@link registerFusedKernels} installs when not told which: those measured faster
 * than their composite path on that backend (`npx tsx bench/fused-ops.ts wasm|cpu`, forward +
 * backward in CPU time). On wasm, tfjs's elementwise kernels are XNNPACK SIMD loops that a scalar
 * JavaScript loop does not beat: LayerNorm was 1.2-1.3x on the `tiny` shapes but 0.7-0.8x on the
 * `small` ones, tanh GELU 0.4-0.6x (JavaScript's `Math.exp`), so only cross-entropy (2.3-3.2x) is
 * fused there. On cpu all three are (2.4-13.7x).
 *
 * @example
 * ```ts
 * registerFusedKernels('wasm', DEFAULT_FUSED_OPS.wasm); // same as registerFusedKernels('wasm')
 * ```
 */
export const DEFAULT_FUSED_OPS: Readonly<Record<FusedBackendName, readonly FusedOpName[]>> = Object.freeze({
  wasm: ['crossEntropy'],
  cpu: FUSED_OP_NAMES,
});

const jsConfigs = (backendName: FusedBackendName, specs: readonly FusedKernelSpec[]): tf.KernelConfig[] =>
  specs.map((spec) => fusedKernelConfig(spec, backendName));

function configsFor(backendName: FusedBackendName): Readonly<Record<FusedOpName, readonly tf.KernelConfig[]>> {
  return {
    layerNorm: jsConfigs(backendName, [layerNormKernel, layerNormGradKernel]),
    geluTanh: jsConfigs(backendName, [geluTanhKernel, geluTanhGradKernel]),
    // On wasm the cross-entropy kernels lean on the backend's vectorised Softmax and Multiply.
    crossEntropy: backendName === 'wasm'
      ? WASM_SOFTMAX_CROSS_ENTROPY_CONFIGS
      : jsConfigs(backendName, [softmaxCrossEntropyKernel, softmaxCrossEntropyGradKernel]),
  };
}

// Built once, so registering again finds the very same kernel functions.
const CONFIGS: Readonly<Record<FusedBackendName, Readonly<Record<FusedOpName, readonly tf.KernelConfig[]>>>> = {
  wasm: configsFor('wasm'),
  cpu: configsFor('cpu'),
};

/**
 * Registers wordforge's fused kernels for one backend (see {@link FUSED_KERNEL_NAMES}): from then
 * on the chosen ops (`layerNorm`, `geluTanh`, `crossEntropy`) run one kernel forward and one
 * backward on that backend instead of chains of tfjs kernels. These are new kernel names, so
 * nothing of tfjs's is replaced. Idempotent; {@link unregisterFusedKernels} undoes it.
 *
 * @param backendName - `'wasm'` or `'cpu'` (the backends whose tensors JavaScript can read in place)
 * @param ops - which ops to fuse (default: {@link DEFAULT_FUSED_OPS} of the backend)
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * registerFusedKernels('wasm'); // cross-entropy only, the one that is faster on wasm
 * registerFusedKernels('cpu', ['layerNorm', 'geluTanh', 'crossEntropy']);
 * ```
 */
export function registerFusedKernels(backendName: FusedBackendName, ops: readonly FusedOpName[] = DEFAULT_FUSED_OPS[backendName]): void {
  for (const op of ops) {
    for (const config of CONFIGS[backendName][op]) {
      if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
    }
  }
}

/**
 * Removes every fused kernel of one backend, so the ops take their composite path of tfjs
 * kernels again (to compare the two, or to measure tfjs as it comes).
 *
 * @param backendName - `'wasm'` or `'cpu'`
 * @example
 * ```ts
 * unregisterFusedKernels('wasm');
 * ```
 */
export function unregisterFusedKernels(backendName: FusedBackendName): void {
  for (const config of Object.values(CONFIGS[backendName]).flat()) {
    if (tf.getKernel(config.kernelName, backendName) !== undefined) tf.unregisterKernel(config.kernelName, backendName);
  }
}
