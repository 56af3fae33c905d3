import type * as tf from '@tensorflow/tfjs-core';
import type { FusedKernelSpec } from './fused-kernel.js';
import { FUSED_KERNEL_NAMES } from './kernel-names.js';

/**
 * Below this probability `-log p` of the target loses digits (float32 denormals, or 0): the row's
 * loss is then `logsumexp(row) - logit` from a scan of the row.
 */
const SMALLEST_DIRECT_PROBABILITY = 1e-30;

/**
 * Softmax of each row (`vocab` values) with max subtraction, sums in float64.
 *
 * @param logits - `rows · vocab` values
 * @param vocab - row length
 * @param probs - `rows · vocab` values, overwritten
 * @example
 * ```ts
 * const probs = new Float32Array(2);
 * softmaxRowsInto(Float32Array.of(0, 0), 2, probs); // [0.5, 0.5]
 * ```
 */
export function softmaxRowsInto(logits: Float32Array, vocab: number, probs: Float32Array): void {
  for (let base = 0; base < logits.length; base += vocab) {
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) max = Math.max(max, logits[base + i] as number);
    let sum = 0;
    for (let i = 0; i < vocab; i++) {
      const e = Math.exp((logits[base + i] as number) - max);
      probs[base + i] = e;
      sum += e;
    }
    const inverse = 1 / sum;
    for (let i = 0; i < vocab; i++) probs[base + i] = (probs[base + i] as number) * inverse;
  }
}

/** `logsumexp` of one row as `max - log(p[argmax])` (the largest probability is at least 1 / vocab). */
function rowLogSumExp(logits: Float32Array, probs: Float32Array, base: number, vocab: number): number {
  let argmax = base;
  for (let i = base + 1; i < base + vocab; i++) if ((logits[i] as number) > (logits[argmax] as number)) argmax = i;
  return (logits[argmax] as number) - Math.log(probs[argmax] as number);
}

/**
 * Mean cross-entropy over the rows whose target is not `ignoreIndex`, from the row softmax:
 * `-log p[target]`, or `logsumexp - logit[target]` where `p[target]` is too small to take the log
 * of. 0 when every row is ignored; NaN when a kept target is outside `[0, vocab)`.
 *
 * @param logits - `rows · vocab` values
 * @param probs - their row softmax
 * @param targets - `rows` class ids
 * @param vocab - row length
 * @param ignoreIndex - the target value of rows to skip
 * @example
 * ```ts
 * meanCrossEntropy(Float32Array.of(0, 0), Float32Array.of(0.5, 0.5), Int32Array.of(1), 2, -100); // log 2
 * ```
 */
export function meanCrossEntropy(
  logits: Float32Array, probs: Float32Array, targets: Int32Array, vocab: number, ignoreIndex: number,
): number {
  let total = 0;
  let kept = 0;
  for (let row = 0; row < targets.length; row++) {
    const target = targets[row] as number;
    if (target === ignoreIndex) continue;
    kept++;
    if (target < 0 || target >= vocab) return NaN;
    const base = row * vocab;
    const p = probs[base + target] as number;
    total += p >= SMALLEST_DIRECT_PROBABILITY
      ? -Math.log(p)
      : rowLogSumExp(logits, probs, base, vocab) - (logits[base + target] as number);
  }
  return total / Math.max(kept, 1);
}

/**
 * The factor of each row in the gradient of {@link meanCrossEntropy} times `dy`: `dy / kept` for
 * kept rows, 0 for ignored rows.
 *
 * @param dy - upstream gradient of the scalar loss
 * @param targets - `rows` class ids
 * @param ignoreIndex - the target value of rows to skip
 * @returns `rows` factors
 * @example
 * ```ts
 * crossEntropyRowScales(3, Int32Array.of(1, -100, 0), -100); // [1.5, 0, 1.5]
 * ```
 */
export function crossEntropyRowScales(dy: number, targets: Int32Array, ignoreIndex: number): Float32Array {
  let kept = 0;
  for (const target of targets) if (target !== ignoreIndex) kept++;
  const scale = dy / Math.max(kept, 1);
  return Float32Array.from(targets, (target) => (target === ignoreIndex ? 0 : scale));
}

/**
 * Subtracts each row's factor at its target: the one-hot term of the cross-entropy gradient,
 * applied to `dlogits = probs · rowScales` (targets outside `[0, vocab)` add no one-hot term; the
 * loss is NaN for them anyway).
 *
 * @param dlogits - `rows · vocab` values, updated in place
 * @param targets - `rows` class ids
 * @param rowScales - from {@link crossEntropyRowScales}
 * @param vocab - row length
 * @example
 * ```ts
 * const dlogits = Float32Array.of(0.5, 0.5);
 * subtractTargetScales(dlogits, Int32Array.of(1), Float32Array.of(1), 2); // [0.5, -0.5]
 * ```
 */
export function subtractTargetScales(dlogits: Float32Array, targets: Int32Array, rowScales: Float32Array, vocab: number): void {
  for (let row = 0; row < targets.length; row++) {
    const target = targets[row] as number;
    if (target < 0 || target >= vocab) continue;
    const at = row * vocab + target;
    dlogits[at] = (dlogits[at] as number) - (rowScales[row] as number);
  }
}

/**
 * Gradient of {@link meanCrossEntropy} times `dy`: `(p - onehot(target)) dy / kept` on kept
 * rows, 0 on ignored rows.
 *
 * @param dy - upstream gradient of the scalar loss
 * @param probs - the forward's row softmax, `rows · vocab` values
 * @param targets - `rows` class ids
 * @param vocab - row length
 * @param ignoreIndex - the target value of rows to skip
 * @param dlogits - `rows · vocab` values, overwritten
 * @example
 * ```ts
 * const dlogits = new Float32Array(2);
 * softmaxCrossEntropyGradInto(1, Float32Array.of(0.5, 0.5), Int32Array.of(1), 2, -100, dlogits); // [0.5, -0.5]
 * ```
 */
export function softmaxCrossEntropyGradInto(
  dy: number, probs: Float32Array, targets: Int32Array, vocab: number, ignoreIndex: number, dlogits: Float32Array,
): void {
  const rowScales = crossEntropyRowScales(dy, targets, ignoreIndex);
  for (let row = 0, base = 0; row < targets.length; row++, base += vocab) {
    const scale = rowScales[row] as number;
    for (let i = 0; i < vocab; i++) dlogits[base + i] = (probs[base + i] as number) * scale;
  }
  subtractTargetScales(dlogits, targets, rowScales, vocab);
}

/**
 * The `ignoreIndex` attribute of the cross-entropy kernels.
 *
 * @param attrs - a kernel's attributes
 * @example
 * ```ts
 * ignoreIndexOf({ ignoreIndex: -100 }); // -100
 * ```
 */
export const ignoreIndexOf = (attrs: tf.NamedAttrMap): number => attrs['ignoreIndex'] as number;

/**
 * `WordforgeSoftmaxCrossEntropy` in JavaScript (the cpu backend's): inputs `logits [N, V]`,
 * `targets [N]`, attr `ignoreIndex`; outputs the scalar mean loss and `probs [N, V]`.
 *
 * @example
 * ```ts
 * declare const logits: tf.Tensor2D, targets: tf.Tensor1D;
 * const name = softmaxCrossEntropyKernel.kernelName;
 * const [loss, probs] = tf.engine().runKernel(name, { logits, targets }, { ignoreIndex: -100 }) as tf.Tensor[];
 * ```
 */
export const softmaxCrossEntropyKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.softmaxCrossEntropy,
  inputNames: ['logits', 'targets'],
  outputShapes: ([logits]) => [[], logits!.shape],
  compute: ([logits, targets], [loss, probs], [logitsInfo], attrs) => {
    const vocab = logitsInfo!.shape[1] as number;
    softmaxRowsInto(logits as Float32Array, vocab, probs!);
    loss![0] = meanCrossEntropy(logits as Float32Array, probs!, targets as Int32Array, vocab, ignoreIndexOf(attrs));
  },
};

/**
 * `WordforgeSoftmaxCrossEntropyGrad` in JavaScript (the cpu backend's): inputs `dy` (scalar),
 * `probs [N, V]`, `targets [N]`, attr `ignoreIndex`; output `dlogits [N, V]`.
 *
 * @example
 * ```ts
 * declare const dy: tf.Scalar, probs: tf.Tensor2D, targets: tf.Tensor1D;
 * const name = softmaxCrossEntropyGradKernel.kernelName;
 * const dlogits = tf.engine().runKernel(name, { dy, probs, targets }, { ignoreIndex: -100 });
 * ```
 */
export const softmaxCrossEntropyGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad,
  inputNames: ['dy', 'probs', 'targets'],
  outputShapes: ([, probs]) => [probs!.shape],
  compute: ([dy, probs, targets], [dlogits], [, probsInfo], attrs) => {
    const vocab = probsInfo!.shape[1] as number;
    const ignoreIndex = ignoreIndexOf(attrs);
    softmaxCrossEntropyGradInto(dy![0] as number, probs as Float32Array, targets as Int32Array, vocab, ignoreIndex, dlogits!);
  },
};
