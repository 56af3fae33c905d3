import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { FUSED_KERNEL_NAMES, hasFusedKernel } from '../backend/fused/kernel-names.js';

/**
 * Layer normalisation over the last axis, `(x - mean) / sqrt(var + eps) * weight + bias` with the
 * biased variance, as `torch.nn.functional.layer_norm`. The backward pass is written by hand
 * (`dx = rstd (g - mean(g) - xhat mean(g xhat))`, `g = dy weight`): a handful of kernels instead of
 * the graph autodiff builds through mean and variance. Where the fused `WordforgeLayerNorm` kernels
 * are registered for the active backend (see `registerFusedKernels`), float32 inputs take one
 * kernel forward and one backward instead.
 * Paper: https://arxiv.org/abs/1607.06450
 *
 * @param x - float32 `[..., D]`
 * @param weight - scale `[D]`
 * @param bias - shift `[D]`
 * @param eps - added to the variance
 * @returns `[..., D]`
 * @throws ShapeError when weight or bias is not `[D]`
 * @example
 * ```ts
 * layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2]), 1e-5); // [[-1, 1]]
 * ```
 */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const dim = x.shape[x.rank - 1] as number;
  assert(weight.rank === 1 && weight.shape[0] === dim && tf.util.arraysEqual(weight.shape, bias.shape), ShapeError,
    () => `layerNorm weight [${weight.shape}] and bias [${bias.shape}] must be [${dim}] for input [${x.shape}]`);
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1, dim]); // [..., D] -> [N, D]
    const fused = x.dtype === 'float32' && hasFusedKernel(FUSED_KERNEL_NAMES.layerNorm);
    const y = (fused ? fusedLayerNormOp : layerNormOp)(flat, weight, bias, eps);
    return tf.reshape(y, x.shape); // [N, D] -> [..., D]
  });
}

function layerNormOp(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  return tf.customGrad((xIn, wIn, bIn, save) => {
    const xs = xIn as tf.Tensor2D;
    const centred = tf.sub(xs, tf.mean(xs, -1, true));
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps)); // [N, 1]
    const xhat = tf.mul(centred, rstd);
    (save as tf.GradSaveFunc)([xhat, rstd, wIn as tf.Tensor]);
    return {
      value: tf.add(tf.mul(xhat, wIn as tf.Tensor), bIn as tf.Tensor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sw] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const g = tf.mul(dy, sw);
        const inner = tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(g, sxhat), -1, true)));
        return [tf.mul(inner, srstd), tf.sum(tf.mul(dy, sxhat), 0), tf.sum(dy, 0)];
      },
    };
  })(x, weight, bias);
}

function fusedLayerNormOp(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  return tf.customGrad((xIn, wIn, bIn, save) => {
    const inputs = { x: xIn as tf.Tensor, weight: wIn as tf.Tensor, bias: bIn as tf.Tensor };
    const [y, mean, rstd] = tf.engine().runKernel(FUSED_KERNEL_NAMES.layerNorm, inputs, { eps }) as tf.Tensor[];
    (save as tf.GradSaveFunc)([inputs.x, inputs.weight, mean as tf.Tensor, rstd as tf.Tensor]);
    return {
      value: y as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, smean, srstd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const gradInputs = { dy, x: sx, weight: sw, mean: smean, rstd: srstd };
        return tf.engine().runKernel(FUSED_KERNEL_NAMES.layerNormGrad, gradInputs) as tf.Tensor[];
      },
    };
  })(x, weight, bias);
}
