import type * as tf from '@tensorflow/tfjs-core';
import type { FusedKernelSpec, KernelValues } from './fused-kernel.js';
import { FUSED_KERNEL_NAMES } from './kernel-names.js';

/** `[rows, dim]` of an `[N, D]` input. */
function rowsAndDim(x: tf.TensorInfo): [number, number] {
  return [x.shape[0] as number, x.shape[1] as number];
}

/**
 * Layer normalisation of each row of `x` (`[rows, dim]`), as `torch.nn.functional.layer_norm`:
 * biased variance, `eps` inside the square root, statistics accumulated in float64.
 *
 * @param x - `rows · dim` values
 * @param weight - `dim` scales
 * @param bias - `dim` shifts
 * @param eps - added to the variance
 * @param y - `rows · dim` outputs, overwritten
 * @param mean - `rows` row means, overwritten
 * @param rstd - `rows` values `1 / sqrt(var + eps)`, overwritten
 * @example
 * ```ts
 * const y = new Float32Array(2), mean = new Float32Array(1), rstd = new Float32Array(1);
 * layerNormInto(Float32Array.of(1, 3), Float32Array.of(1, 1), Float32Array.of(0, 0), 0, y, mean, rstd); // y = [-1, 1]
 * ```
 */
export function layerNormInto(
  x: Float32Array, weight: Float32Array, bias: Float32Array, eps: number,
  y: Float32Array, mean: Float32Array, rstd: Float32Array,
): void {
  const dim = weight.length;
  for (let row = 0, base = 0; row < mean.length; row++, base += dim) {
    // Sum and sum of squares in one float64 pass: the variance E[x^2] - mean^2 keeps a relative
    // error of about 1e-16 (mean / std)^2, below float32's 6e-8 while |mean| / std < 2e4.
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < dim; i++) {
      const v = x[base + i] as number;
      sum += v;
      sumSquares += v * v;
    }
    const mu = sum / dim;
    const rs = 1 / Math.sqrt(Math.max(sumSquares / dim - mu * mu, 0) + eps);
    const shift = -mu * rs;
    for (let i = 0; i < dim; i++) {
      y[base + i] = ((x[base + i] as number) * rs + shift) * (weight[i] as number) + (bias[i] as number);
    }
    mean[row] = mu;
    rstd[row] = rs;
  }
}

/**
 * Backward pass of {@link layerNormInto} in one sweep over the rows: with `xhat = (x - mean) rstd`
 * and `g = dy weight`, `dx = rstd (g - mean(g) - xhat mean(g xhat))`, `dweight = Σ dy xhat`,
 * `dbias = Σ dy` (row sums in float64).
 *
 * @param dy - `rows · dim` upstream gradients
 * @param x - the forward input
 * @param weight - the forward scales
 * @param mean - the forward's row means
 * @param rstd - the forward's row `1 / sqrt(var + eps)`
 * @param dx - `rows · dim`, overwritten
 * @param dweight - `dim`, overwritten
 * @param dbias - `dim`, overwritten
 * @example
 * ```ts
 * const dx = new Float32Array(2), dw = new Float32Array(2), db = new Float32Array(2);
 * layerNormGradInto(Float32Array.of(1, 0), Float32Array.of(1, 3), Float32Array.of(1, 1),
 *   Float32Array.of(2), Float32Array.of(1), dx, dw, db); // dw = [-1, 0], db = [1, 0]
 * ```
 */
export function layerNormGradInto(
  dy: Float32Array, x: Float32Array, weight: Float32Array, mean: Float32Array, rstd: Float32Array,
  dx: Float32Array, dweight: Float32Array, dbias: Float32Array,
): void {
  const dim = weight.length;
  const dweightSum = new Float64Array(dim);
  const dbiasSum = new Float64Array(dim);
  for (let row = 0, base = 0; row < mean.length; row++, base += dim) {
    const mu = mean[row] as number;
    const rs = rstd[row] as number;
    let sumG = 0;
    let sumGXhat = 0;
    for (let i = 0; i < dim; i++) {
      const d = dy[base + i] as number;
      const xhat = ((x[base + i] as number) - mu) * rs;
      const g = d * (weight[i] as number);
      sumG += g;
      sumGXhat += g * xhat;
      dweightSum[i] = (dweightSum[i] as number) + d * xhat;
      dbiasSum[i] = (dbiasSum[i] as number) + d;
    }
    const meanG = sumG / dim;
    const meanGXhat = sumGXhat / dim;
    for (let i = 0; i < dim; i++) {
      const xhat = ((x[base + i] as number) - mu) * rs;
      dx[base + i] = rs * ((dy[base + i] as number) * (weight[i] as number) - meanG - xhat * meanGXhat);
    }
  }
  dweight.set(dweightSum);
  dbias.set(dbiasSum);
}

/**
 * `WordforgeLayerNorm`: inputs `x [N, D]`, `weight [D]`, `bias [D]`, attr `eps`; outputs
 * `y [N, D]`, `mean [N]`, `rstd [N]` (what the gradient kernel needs besides `x` and `weight`).
 *
 * @example
 * ```ts
 * declare const x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D;
 * const [y, mean, rstd] = tf.engine().runKernel(layerNormKernel.kernelName, { x, weight, bias }, { eps: 1e-5 }) as tf.Tensor[];
 * ```
 */
export const layerNormKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.layerNorm,
  inputNames: ['x', 'weight', 'bias'],
  outputShapes: ([x]) => {
    const [rows, dim] = rowsAndDim(x!);
    return [[rows, dim], [rows], [rows]];
  },
  compute: ([x, weight, bias], [y, mean, rstd], _infos, attrs) => {
    layerNormInto(x as Float32Array, weight as Float32Array, bias as Float32Array, attrs['eps'] as number, y!, mean!, rstd!);
  },
};

/**
 * `WordforgeLayerNormGrad`: inputs `dy [N, D]`, `x [N, D]`, `weight [D]`, `mean [N]`, `rstd [N]`;
 * outputs `dx [N, D]`, `dweight [D]`, `dbias [D]`.
 *
 * @example
 * ```ts
 * declare const dy: tf.Tensor2D, x: tf.Tensor2D, weight: tf.Tensor1D, mean: tf.Tensor1D, rstd: tf.Tensor1D;
 * const name = layerNormGradKernel.kernelName;
 * const [dx, dweight, dbias] = tf.engine().runKernel(name, { dy, x, weight, mean, rstd }) as tf.Tensor[];
 * ```
 */
export const layerNormGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNEL_NAMES.layerNormGrad,
  inputNames: ['dy', 'x', 'weight', 'mean', 'rstd'],
  outputShapes: ([dy]) => {
    const [rows, dim] = rowsAndDim(dy!);
    return [[rows, dim], [dim], [dim]];
  },
  compute: (inputs: readonly KernelValues[], [dx, dweight, dbias]) => {
    const [dy, x, weight, mean, rstd] = inputs as Float32Array[];
    layerNormGradInto(dy!, x!, weight!, mean!, rstd!, dx!, dweight!, dbias!);
  },
};
