import * as tf from '@tensorflow/tfjs-core';

/**
 * Names of wordforge's fused kernels in tfjs's kernel registry. Each forward kernel replaces a
 * chain of tfjs kernels with one pass, each `...Grad` kernel is its whole backward pass.
 *
 * @example
 * ```ts
 * declare const x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D;
 * const [y, mean, rstd] = tf.engine().runKernel(FUSED_KERNEL_NAMES.layerNorm, { x, weight, bias }, { eps: 1e-5 }) as tf.Tensor[];
 * ```
 */
export const FUSED_KERNEL_NAMES = Object.freeze({
  /**
   * Inputs `x [N, D]`, `weight [D]`, `bias [D]`, attr `eps`; outputs `y [N, D]`, `mean [N]`, `rstd [N]`.
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.layerNorm, 'wasm');
   * ```
   */
  layerNorm: 'WordforgeLayerNorm',
  /**
   * Inputs `dy [N, D]`, `x [N, D]`, `weight [D]`, `mean [N]`, `rstd [N]`; outputs `dx [N, D]`, `dweight [D]`, `dbias [D]`.
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.layerNormGrad, 'wasm');
   * ```
   */
  layerNormGrad: 'WordforgeLayerNormGrad',
  /**
   * Input `x` of any shape; outputs `y = x s` and `s = sigmoid(2u)`, `u = sqrt(2/pi) (x + 0.044715 x^3)`.
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.geluTanh, 'wasm');
   * ```
   */
  geluTanh: 'WordforgeGeluTanh',
  /**
   * Inputs `dy`, `x` and the forward's `s`, all of one shape; output `dx`.
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.geluTanhGrad, 'wasm');
   * ```
   */
  geluTanhGrad: 'WordforgeGeluTanhGrad',
  /**
   * Inputs `logits [N, V]` float32, `targets [N]` int32, attr `ignoreIndex`; outputs the mean
   * loss over kept rows (a scalar) and `probs [N, V]` (the softmax, kept for the gradient).
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.softmaxCrossEntropy, 'wasm');
   * ```
   */
  softmaxCrossEntropy: 'WordforgeSoftmaxCrossEntropy',
  /**
   * Inputs `dy` (scalar), `probs [N, V]`, `targets [N]`, attr `ignoreIndex`; output `dlogits [N, V]`.
   *
   * @example
   * ```ts
   * tf.getKernel(FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad, 'wasm');
   * ```
   */
  softmaxCrossEntropyGrad: 'WordforgeSoftmaxCrossEntropyGrad',
} as const);

/**
 * Whether a fused kernel is registered for the active backend: the ops take their fused path
 * when it is, and their composite path of tfjs kernels otherwise (tfjs-node, webgl, or before
 * {@link registerFusedKernels}).
 *
 * @param kernelName - one of {@link FUSED_KERNEL_NAMES}
 * @example
 * ```ts
 * const fused = hasFusedKernel(FUSED_KERNEL_NAMES.geluTanh); // false before registerFusedKernels
 * ```
 */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
