import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

/**
 * Root-mean-square normalisation over the last axis, `x / sqrt(mean(x^2) + eps) * weight`: no mean
 * subtraction and no bias (T5's `T5LayerNorm`, LLaMA's `RMSNorm`). The backward pass is written by
 * hand: `dx = rrms (g - xhat mean(g xhat))` with `g = dy weight`.
 * Paper: https://arxiv.org/abs/1910.07467
 *
 * @param x - float32 `[..., D]`
 * @param weight - scale `[D]`
 * @param eps - added to the mean square
 * @returns `[..., D]`
 * @throws ShapeError when weight is not `[D]`
 * @example
 * ```ts
 * rmsNorm(tf.tensor2d([[3, 4]]), tf.ones([2]), 0); // [[0.8485, 1.1314]]
 * ```
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const dim = x.shape[x.rank - 1] as number;
  assert(weight.rank === 1 && weight.shape[0] === dim, ShapeError,
    () => `rmsNorm weight [${weight.shape}] must be [${dim}] for input [${x.shape}]`);
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1, dim]); // [..., D] -> [N, D]
    const y = rmsNormOp(flat, weight, eps);
    return tf.reshape(y, x.shape); // [N, D] -> [..., D]
  });
}

function rmsNormOp(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  return tf.customGrad((xIn, wIn, save) => {
    const xs = xIn as tf.Tensor2D;
    const rrms = tf.rsqrt(tf.add(tf.mean(tf.square(xs), -1, true), eps)); // [N, 1]
    const xhat = tf.mul(xs, rrms);
    (save as tf.GradSaveFunc)([xhat, rrms, wIn as tf.Tensor]);
    return {
      value: tf.mul(xhat, wIn as tf.Tensor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srrms, sw] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const g = tf.mul(dy, sw);
        const inner = tf.sub(g, tf.mul(sxhat, tf.mean(tf.mul(g, sxhat), -1, true)));
        return [tf.mul(inner, srrms), tf.sum(tf.mul(dy, sxhat), 0)];
      },
    };
  })(x, weight);
}
