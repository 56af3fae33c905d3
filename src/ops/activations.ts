import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../utils/errors.js';
import { FUSED_KERNEL_NAMES, hasFusedKernel } from '../backend/fused/kernel-names.js';

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TANH_SCALE = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/** A function of one tensor, applied elementwise. */
export type Activation = (x: tf.Tensor) => tf.Tensor;

/** Names of the activations {@link activation} knows. */
export type ActivationName = 'gelu' | 'gelu_tanh' | 'relu' | 'silu';

// Exact GELU with a hand-written derivative Phi(x) + x phi(x): one fused backward instead of the
// graph autodiff would build through erf.
const geluExact = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))); // Phi(x)
  (save as tf.GradSaveFunc)([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor, [sx, scdf]: tf.Tensor[]) => {
      const xs = sx as tf.Tensor;
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(xs)))); // phi(x)
      return tf.mul(dy, tf.add(scdf as tf.Tensor, tf.mul(xs, pdf)));
    },
  };
});

// tanh-approximated GELU through 0.5 (1 + tanh(u)) = sigmoid(2u), u = c (x + a x^3): the value is
// x s with s = sigmoid(2u), the derivative s + 2 x s (1 - s) c (1 + 3 a x^2). Same function, and
// wasm's Sigmoid is vectorised (1 ms on 1M values) where its Tanh is scalar (18 ms).
const geluTanhApprox = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  const x2 = tf.square(x);
  const s = tf.sigmoid(tf.mul(x, tf.add(2 * TANH_SCALE, tf.mul(2 * TANH_SCALE * TANH_CUBIC, x2)))); // sigmoid(2u)
  (save as tf.GradSaveFunc)([x, x2, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy: tf.Tensor, [sx, sx2, ss]: tf.Tensor[]) => {
      const xs = sx as tf.Tensor;
      const sig = ss as tf.Tensor;
      const dInner = tf.add(2 * TANH_SCALE, tf.mul(6 * TANH_SCALE * TANH_CUBIC, sx2 as tf.Tensor)); // d(2u)/dx
      const d = tf.add(sig, tf.mul(tf.mul(xs, tf.mul(sig, tf.sub(1, sig))), dInner));
      return tf.mul(dy, d);
    },
  };
});

// The same function as one fused kernel each way; `s` = sigmoid(2u) is kept for the backward.
const geluTanhFused = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  const [y, s] = tf.engine().runKernel(FUSED_KERNEL_NAMES.geluTanh, { x }) as tf.Tensor[];
  (save as tf.GradSaveFunc)([x, s as tf.Tensor]);
  return {
    value: y as tf.Tensor,
    gradFunc: (dy: tf.Tensor, [sx, ss]: tf.Tensor[]) =>
      tf.engine().runKernel(FUSED_KERNEL_NAMES.geluTanhGrad, { dy, x: sx as tf.Tensor, s: ss as tf.Tensor }) as tf.Tensor,
  };
});

/**
 * Gaussian Error Linear Unit, exact form `x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))`, as
 * `torch.nn.functional.gelu(x)` (BERT, T5 v1.1 `gelu` variants).
 * Paper: https://arxiv.org/abs/1606.08415
 *
 * @param x - float32 tensor of any shape
 * @returns a tensor of the same shape
 * @example
 * ```ts
 * gelu(tf.tensor1d([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => geluExact(x));
}

/**
 * GELU with GPT-2's tanh approximation `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, equal
 * to `torch.nn.functional.gelu(x, approximate='tanh')` (HF `gelu_new`). Where the fused
 * `WordforgeGeluTanh` kernels are registered for the active backend (see `registerFusedKernels`),
 * float32 inputs take one kernel forward and one backward.
 * Paper: https://arxiv.org/abs/1606.08415
 *
 * @param x - float32 tensor of any shape
 * @returns a tensor of the same shape
 * @example
 * ```ts
 * geluTanh(tf.tensor1d([-1, 0, 1])); // [-0.1588, 0, 0.8412]
 * ```
 */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  const fused = x.dtype === 'float32' && hasFusedKernel(FUSED_KERNEL_NAMES.geluTanh);
  return tf.tidy(() => (fused ? geluTanhFused : geluTanhApprox)(x));
}

/**
 * Rectified linear unit `max(x, 0)` (original Transformer, T5 v1.0).
 *
 * @param x - tensor of any shape
 * @returns a tensor of the same shape
 * @example
 * ```ts
 * relu(tf.tensor1d([-1, 2])); // [0, 2]
 * ```
 */
export function relu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.relu(x));
}

/**
 * Sigmoid linear unit (swish) `x * sigmoid(x)`, the gate activation of LLaMA's SwiGLU.
 * Paper: https://arxiv.org/abs/1710.05941
 *
 * @param x - float32 tensor of any shape
 * @returns a tensor of the same shape
 * @example
 * ```ts
 * silu(tf.tensor1d([0, 1])); // [0, 0.7311]
 * ```
 */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  gelu,
  gelu_tanh: geluTanh,
  relu,
  silu,
};

/**
 * Looks up an activation by name.
 *
 * @param name - one of {@link ActivationName}
 * @returns the elementwise function
 * @throws ConfigError when the name is unknown (e.g. from an untyped config file)
 * @example
 * ```ts
 * const act = activation('gelu_tanh');
 * const y = act(tf.tensor1d([1, 2]));
 * ```
 */
export function activation(name: ActivationName): Activation {
  const fn = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (fn === undefined) {
    throw new ConfigError(`activation (${JSON.stringify(name)}) must be one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  }
  return fn;
}
