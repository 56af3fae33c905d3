import type { FusedKernelSpec } from './fused-kernel.js';
import { FUSED_KERNEL_NAMES } from './kernel-names.js';

const TANH_SCALE = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/**
 * GELU with the tanh approximation, `0.5 x (1 + tanh(u))`, `u = sqrt(2/pi) (x + 0.044715 x^3)`, as
 * `torch.nn.functional.gelu(x, approximate='tanh')`, computed as `x s` with
 * `s = sigmoid(2u) = 0.5 (1 + tanh(u))` (one `exp` per element instead of a `tanh`); `s` is kept
 * for the gradient.
 *
 * @param x - input values
 * @param y - `x.length` outputs, overwritten
 * @param s - `x.length` values of `sigmoid(2u)`, overwritten
 * @example
 * ```ts
 * const y = new Float32Array(1), s = new Float32Array(1);
 * geluTanhInto(Float32Array.of(1), y, s); // y = [0.8412]
 * ```
 */
export function geluTanhInto(x: Float32Array, y: Float32Array, s: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const sig = 1 / (1 + Math.exp(-2 * TANH_SCALE * v * (1 + TANH_CUBIC * v * v)));
    y[i] = v * sig;
    s[i] = sig;
  }
}

/**
 * Backward pass of {@link geluTanhInto}: `dx = dy (s + 2 x s (1 - s) sqrt(2/pi) (1 + 3 · 0.044715 x^2))`.
 *
 * @param dy - upstream gradients
 * @param x - the forward input
 * @param s - the forward's `sigmoid(2u)`
 * @param dx - `x.length` values, overwritten
 * @example
 * ```ts
 * const dx = new Float32Array(1);
 * geluTanhGradInto(Float32Array.of(1), Float32Array.of(0), Float32Array.of(0.5), dx); // dx = [0.5]
 * ```
 */
export function geluTanhGradInto(dy: Float32Array, x: Float32Array, s: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const sig = s[i] as number;
    const dTwoU = 2 * TANH_SCALE * (1 + 3 * TANH_CUBIC * v * v); // d(2u)/dx
    dx[i] = (dy[i] as number) * (sig + v * sig * (1 - sig) * dTwoU);
  }
}

/**
 * `WordforgeGeluTanh`: input `x` of any shape; outputs `y` and `s = sigmoid(2u)` of that shape.
 *
 * @example
 * ```ts
 * declare const x: tf.Tensor;
 * const [y, s] = tf.engine().runKernel(geluTanhKernel.kernelName, { x }) as tf.Tensor[];
 * ```
 */
export const geluTanhKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.geluTanh,
  inputNames: ['x'],
  outputShapes: ([x]) => [x!.shape, x!.shape],
  compute: ([x], [y, s]) => geluTanhInto(x as Float32Array, y!, s!),
};

/**
 * `WordforgeGeluTanhGrad`: inputs `dy`, `x` and the forward's `s`, all of one shape; output `dx`.
 *
 * @example
 * ```ts
 * declare const dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor;
 * const dx = tf.engine().runKernel(geluTanhGradKernel.kernelName, { dy, x, s }) as tf.Tensor;
 * ```
 */
export const geluTanhGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.geluTanhGrad,
  inputNames: ['dy', 'x', 's'],
  outputShapes: ([x]) => [x!.shape],
  compute: ([dy, x, s], [dx]) => geluTanhGradInto(dy as Float32Array, x as Float32Array, s as Float32Array, dx!),
};
