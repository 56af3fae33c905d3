import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /** Step of the central difference (default 1e-2: float32 needs a coarse step). */
  readonly eps?: number;
}

/** Result of {@link checkGradients}: the largest error over every input element. */
export interface GradientCheckResult {
  /** max |analytic - numeric| / max(1, |numeric|) over all elements of all inputs. */
  readonly maxError: number;
  readonly analytic: Float32Array[];
  readonly numeric: Float32Array[];
}

/**
 * Compares `tf.grads(f)` with central differences `(f(x + eps) - f(x - eps)) / (2 eps)` computed
 * element by element in float32. Only for tiny inputs: it evaluates `f` twice per element.
 * Leaves no tensors behind.
 *
 * @param f - scalar-valued function of the inputs
 * @param inputs - float32 tensors (not modified)
 * @example
 * ```ts
 * const { maxError } = checkGradients((x) => tf.sum(tf.square(x)), [tf.tensor1d([1, 2])]);
 * expect(maxError).toBeLessThan(1e-3);
 * ```
 */
export function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const eps = options.eps ?? 1e-2;
  const analytic = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => f(...xs) as tf.Scalar)(inputs))
    .map((g) => {
      const data = g.dataSync() as Float32Array;
      g.dispose();
      return Float32Array.from(data);
    });
  const values = inputs.map((x) => Float32Array.from(x.dataSync() as Float32Array));
  const evaluate = (): number => tf.tidy(() => {
    const xs = values.map((v, i) => tf.tensor(v, inputs[i]!.shape, 'float32'));
    return f(...xs).dataSync()[0] as number;
  });
  const numeric = values.map((v) => {
    const out = new Float32Array(v.length);
    for (let j = 0; j < v.length; j++) {
      const orig = v[j] as number;
      v[j] = orig + eps;
      const plus = evaluate();
      v[j] = orig - eps;
      const minus = evaluate();
      v[j] = orig;
      out[j] = (plus - minus) / (2 * eps);
    }
    return out;
  });
  let maxError = 0;
  analytic.forEach((a, i) => a.forEach((g, j) => {
    const n = numeric[i]![j] as number;
    maxError = Math.max(maxError, Math.abs(g - n) / Math.max(1, Math.abs(n)));
  }));
  return { maxError, analytic, numeric };
}

/**
 * Asserts-friendly leak probe: runs `fn` and returns how many tensors it left behind.
 *
 * @example
 * ```ts
 * expect(leakedTensors(() => tf.tidy(() => tf.add(a, b)).dispose())).toBe(0);
 * ```
 */
export function leakedTensors(fn: () => void): number {
  const before = tf.memory().numTensors;
  fn();
  return tf.memory().numTensors - before;
}

/**
 * Runs one training-style backward pass, `tf.variableGrads(loss, variables)`, hands the gradients
 * (by variable name) to `inspect`, then disposes the loss and every gradient.
 *
 * @example
 * ```ts
 * expect(leakedTensors(() => withGradients(() => tf.sum(fc.forward(x)), fc.trainableVariables()))).toBe(0);
 * ```
 */
export function withGradients(
  loss: () => tf.Tensor,
  variables: tf.Variable[],
  inspect: (grads: tf.NamedTensorMap) => void = () => {},
): void {
  const { value, grads } = tf.variableGrads(() => loss() as tf.Scalar, variables);
  try {
    inspect(grads);
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}
