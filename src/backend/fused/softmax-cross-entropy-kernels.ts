import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../override-kernel.js';
import { tensorView, type WasmBackend } from '../wasm/wasm-memory.js';
import { cpuFusedKernel, type FusedBackendName, type FusedKernelSpec } from './fused-kernel.js';
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
 * Gradient of {@link meanCrossEntropy} times `dy`: `(p - onehot(target)) dy / kept` on kept
 * rows, 0 on ignored rows (a kept target outside `[0, vocab)` adds no one-hot term).
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
  let kept = 0;
  for (const target of targets) if (target !== ignoreIndex) kept++;
  const scale = dy / Math.max(kept, 1);
  for (let row = 0, base = 0; row < targets.length; row++, base += vocab) {
    const target = targets[row] as number;
    if (target === ignoreIndex) {
      dlogits.fill(0, base, base + vocab);
      continue;
    }
    for (let i = 0; i < vocab; i++) dlogits[base + i] = (probs[base + i] as number) * scale;
    if (target >= 0 && target < vocab) dlogits[base + target] = (dlogits[base + target] as number) - scale;
  }
}

const ignoreIndexOf = (attrs: tf.NamedAttrMap): number => attrs['ignoreIndex'] as number;

/** `WordforgeSoftmaxCrossEntropy` on the cpu backend: softmax and loss in JavaScript. */
const cpuSoftmaxCrossEntropyKernel: FusedKernelSpec = {
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
 * `WordforgeSoftmaxCrossEntropy` on wasm: the softmax is the backend's own `Softmax` kernel
 * (XNNPACK's vectorised exp, where JavaScript has only a scalar `Math.exp`), the loss a pass over
 * the `N` targets.
 */
function wasmSoftmaxCrossEntropy(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const logits = args.inputs['logits'] as tf.TensorInfo;
  const targets = args.inputs['targets'] as tf.TensorInfo;
  const softmax = tf.getKernel(tf.Softmax, 'wasm') as tf.KernelConfig;
  const softmaxArgs = { inputs: { logits }, backend, attrs: { dim: 1 } } as Parameters<tf.KernelFunc>[0];
  const probs = softmax.kernelFunc(softmaxArgs) as tf.TensorInfo;
  const loss = backend.makeOutput([], 'float32');
  // Views after the last allocation: growing the heap detaches older ones.
  const vocab = logits.shape[1] as number;
  (tensorView(backend, loss) as Float32Array)[0] = meanCrossEntropy(
    tensorView(backend, logits) as Float32Array, tensorView(backend, probs) as Float32Array,
    tensorView(backend, targets) as Int32Array, vocab, ignoreIndexOf(args.attrs ?? {}));
  return [loss, probs];
}

/**
 * The registry entry of `WordforgeSoftmaxCrossEntropy` (inputs `logits [N, V]`, `targets [N]`,
 * attr `ignoreIndex`; outputs the scalar mean loss and `probs [N, V]`) for one backend.
 *
 * @param backendName - `'wasm'` or `'cpu'`
 * @example
 * ```ts
 * tf.registerKernel(softmaxCrossEntropyConfig('wasm'));
 * ```
 */
export function softmaxCrossEntropyConfig(backendName: FusedBackendName): tf.KernelConfig {
  const kernelFunc = backendName === 'wasm'
    ? (wasmSoftmaxCrossEntropy as tf.KernelFunc)
    : cpuFusedKernel(cpuSoftmaxCrossEntropyKernel);
  return { kernelName: FUSED_KERNEL_NAMES.softmaxCrossEntropy, backendName, kernelFunc };
}

/**
 * `WordforgeSoftmaxCrossEntropyGrad`: inputs `dy` (scalar), `probs [N, V]`, `targets [N]`, attr
 * `ignoreIndex`; output `dlogits [N, V]`.
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
