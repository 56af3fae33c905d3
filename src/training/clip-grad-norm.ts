import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';

/** Result of {@link clipGradNorm}: new tensors, owned (and to be disposed) by the caller. */
// A type alias rather than an interface, so that tf.tidy accepts it as a TensorContainer.
export type ClippedGradients = {
  /** The gradients scaled by `min(1, maxNorm / (norm + 1e-6))`, same names and shapes as given. */
  grads: Record<string, tf.Tensor>;
  /** Total L2 norm of all gradients before clipping (a float32 scalar on the device). */
  norm: tf.Scalar;
};

/**
 * Scales gradients so that their total L2 norm is at most `maxNorm`, with the semantics of
 * PyTorch's `torch.nn.utils.clip_grad_norm_` (Pascanu et al., https://arxiv.org/abs/1211.5063):
 * `norm = sqrt(Σ_i ‖g_i‖²)` over all gradients together, every gradient is multiplied by
 * `min(1, maxNorm / (norm + 1e-6))`. As in PyTorch, nothing is read back to the CPU: the norm stays
 * a device scalar (read it at log intervals only), a non-finite norm propagates into the result,
 * and an empty record gives a norm of 0. `maxNorm = Infinity` computes the norm without clipping.
 *
 * @param grads - gradients by parameter name, any shapes; not disposed (the caller keeps them)
 * @param maxNorm - largest total norm allowed, > 0 (`Infinity` allowed)
 * @returns new gradient tensors and the pre-clipping norm, all owned by the caller
 * @throws RangeArgumentError when `maxNorm` is NaN or not > 0
 * @example
 * ```ts
 * declare const optimizer: Optimizer;
 * const { grads, norm } = clipGradNorm({ w: tf.tensor1d([3, 4]) }, 1); // norm 5 -> w ≈ [0.6, 0.8]
 * optimizer.applyGradients(grads);
 * tf.dispose([Object.values(grads), norm]);
 * ```
 */
export function clipGradNorm(grads: Readonly<Record<string, tf.Tensor>>, maxNorm: number): ClippedGradients {
  assert(maxNorm > 0, RangeArgumentError, () => `maxNorm (${maxNorm}) must be > 0`);
  return tf.tidy(() => {
    const entries = Object.entries(grads);
    const norm = (entries.length === 0
      ? tf.scalar(0)
      : tf.sqrt(tf.addN(entries.map(([, g]) => tf.sum(tf.square(g)))))) as tf.Scalar;
    const coefficient = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    const clipped = Object.fromEntries(entries.map(([name, g]) => [name, tf.mul(g, coefficient)]));
    return { grads: clipped, norm };
  });
}
