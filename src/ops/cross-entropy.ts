import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { FUSED_KERNEL_NAMES, hasFusedKernel } from '../backend/fused/kernel-names.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** Targets equal to this value add nothing to the loss or the count (default -100, as PyTorch). */
  readonly ignoreIndex?: number;
}

/**
 * Mean softmax cross-entropy over the targets that are not `ignoreIndex`, as
 * `torch.nn.functional.cross_entropy(logits, targets, ignore_index=...)`. When every target is
 * ignored the loss is 0 (not NaN) and so is the gradient.
 *
 * The gradient is written by hand, `(softmax(logits) - onehot(targets)) * keep / count`, from the
 * softmax the forward pass keeps; autodiff through log-softmax and a gather would keep several
 * vocabulary-sized intermediates alive and scatter through UnsortedSegmentSum. The softmax is
 * tfjs's fused kernel (XNNPACK on wasm: 8 ms on `[1024, 8192]`, where one `exp` takes 58 ms),
 * the log-sum-exp comes from it as `max(x) - log(max(softmax(x)))` (the largest probability is
 * `1 / Σ exp(x - max)`, never below `1 / V`), and the one-hot is a scatter of `N` values.
 * Where the fused `WordforgeSoftmaxCrossEntropy` kernels are registered for the active backend
 * (see `registerFusedKernels`), float32 logits take one kernel forward (softmax, per-row loss and
 * mean) and one backward instead.

 * Targets outside `[0, V)` other than `ignoreIndex` make the loss NaN (checked on the device, no
 * synchronous read), so a bad id can never pass as a plausible loss. Validate ids held in JS
 * before they reach the device to get a typed error instead.
 *
 * @param logits - float32 `[..., V]`
 * @param targets - int32 class ids of shape `logits.shape` without the last axis
 * @returns scalar loss
 * @throws ShapeError when the shapes do not agree
 * @example
 * ```ts
 * const loss = crossEntropy(tf.tensor2d([[2, 0], [0, 2]]), tf.tensor1d([0, -100], 'int32'));
 * // log(1 + e^-2) = 0.1269
 * ```
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor, options: CrossEntropyOptions = {}): tf.Scalar {
  const ignoreIndex = options.ignoreIndex ?? -100;
  assert(logits.rank >= 1 && tf.util.arraysEqual(logits.shape.slice(0, -1), targets.shape), ShapeError,
    () => `targets shape [${targets.shape}] must equal logits shape [${logits.shape}] without its last axis`);
  return tf.tidy(() => {
    const vocab = logits.shape[logits.rank - 1] as number;
    const rows = targets.size;
    const flatLogits = tf.reshape(logits, [rows, vocab]); // [..., V] -> [N, V]
    const ids = tf.reshape(tf.cast(targets, 'int32'), [rows]) as tf.Tensor1D; // [...] -> [N]
    const fused = logits.dtype === 'float32' && hasFusedKernel(FUSED_KERNEL_NAMES.softmaxCrossEntropy);
    return (fused ? fusedCrossEntropy : compositeCrossEntropy)(flatLogits, ids, ignoreIndex);
  });
}

/** Cross-entropy from tfjs kernels: softmax, a gather of the target logits, a scatter in the backward. */
function compositeCrossEntropy(flatLogits: tf.Tensor, ids: tf.Tensor1D, ignoreIndex: number): tf.Scalar {
  const [rows, vocab] = flatLogits.shape as [number, number];
  return tf.customGrad((input, save) => {
    const x = input as tf.Tensor2D;
    const keep = tf.notEqual(ids, ignoreIndex);
    const inRange = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, vocab));
    const safeIds = tf.where(inRange, ids, tf.zerosLike(ids));
    const count = tf.maximum(tf.sum(tf.cast(keep, 'float32')), 1);
    const weight = tf.div(tf.cast(keep, 'float32'), count); // [N]
    const probs = tf.softmax(x, -1); // [N, V]
    const lse = tf.sub(tf.max(x, -1), tf.log(tf.max(probs, -1))); // [N]
    // Target logits through a flat gather of N elements: row * V + id.
    const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), safeIds);
    const picked = tf.gather(tf.reshape(x, [rows * vocab]), flatIndex); // [N, V] -> [N*V]
    const rowLoss = tf.sub(lse, picked);
    // NaN for a kept row whose id is out of range, 0 otherwise.
    const poison = tf.where(tf.logicalAnd(keep, tf.logicalNot(inRange)), tf.fill([rows], NaN), tf.zeros([rows]));
    (save as tf.GradSaveFunc)([probs, flatIndex, weight]);
    return {
      value: tf.add(tf.sum(tf.mul(rowLoss, weight)), tf.sum(poison)) as tf.Scalar,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [sprobs, sindex, sweight] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const scale = tf.mul(sweight, dy); // [N]
        const indices = tf.reshape(sindex, [rows, 1]); // [N] -> [N, 1]
        // scale at each row's target, zero elsewhere: the one-hot term without a [N, V] cast.
        const targetTerm = tf.scatterND(indices, scale, [rows * vocab]);
        const scaled = tf.mul(sprobs, tf.reshape(scale, [rows, 1])); // [N] -> [N, 1]
        return tf.sub(scaled, tf.reshape(targetTerm, [rows, vocab])); // [N*V] -> [N, V]
      },
    };
  })(flatLogits);
}

/** Cross-entropy as one fused kernel each way; the forward's softmax is kept for the backward. */
function fusedCrossEntropy(flatLogits: tf.Tensor, ids: tf.Tensor1D, ignoreIndex: number): tf.Scalar {
  return tf.customGrad((input, save) => {
    const inputs = { logits: input as tf.Tensor, targets: ids };
    const [loss, probs] = tf.engine().runKernel(FUSED_KERNEL_NAMES.softmaxCrossEntropy, inputs, { ignoreIndex }) as tf.Tensor[];
    // The targets too: `ids` is disposed when crossEntropy's tidy ends, before any backward pass.
    (save as tf.GradSaveFunc)([probs as tf.Tensor, ids]);
    return {
      value: loss as tf.Scalar,
      gradFunc: (dy: tf.Scalar, [sprobs, sids]: tf.Tensor[]) => {
        const gradInputs = { dy, probs: sprobs as tf.Tensor, targets: sids as tf.Tensor };
        return tf.engine().runKernel(FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad, gradInputs, { ignoreIndex }) as tf.Tensor;
      },
    };
  })(flatLogits);
}
