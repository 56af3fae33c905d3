import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, VocabularyError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';

/**
 * How new embedding rows start. `mean`: every new row is the mean of the old rows.
 * `mean-covariance` (Hugging Face's `mean_resizing`, the default): rows drawn from a normal with
 * the old rows' mean and covariance scaled by 1e-5 (falling back to `mean` when that covariance
 * is not positive definite, as HF does); see https://nlp.stanford.edu/~johnhew/vocab-expansion.html.
 * `{ subTokens }`: row `i` is the average of the old rows `subTokens[i]` (e.g. the ids the
 * tokenizer split the new token into before it was added).
 *
 * @example
 * ```ts
 * const init: NewRowsInit = { subTokens: [[464, 3290], [1049]] }; // two new tokens
 * ```
 */
export type NewRowsInit = 'mean' | 'mean-covariance' | {
  /** For each new row, the old ids whose rows it averages. */
  readonly subTokens: readonly (readonly number[])[];
};

/**
 * Rows to append to a table, initialised from its existing rows.
 *
 * @param table - `[V, D]` existing rows (not disposed)
 * @param count - how many rows to make
 * @param init - see {@link NewRowsInit}
 * @param seed - seed of the `mean-covariance` draw
 * @returns `[count, D]`; the caller disposes it
 * @throws RangeArgumentError when `subTokens` does not hold `count` non-empty lists;
 *   VocabularyError for a sub-token id outside `[0, V)`
 * @example
 * ```ts
 * declare const wte: Embedding;
 * const extra = await initNewRows(wte.weight, 2, 'mean-covariance', 0); // [2, D]
 * ```
 */
export async function initNewRows(table: tf.Tensor, count: number, init: NewRowsInit, seed: number): Promise<tf.Tensor2D> {
  const [rows, dim] = table.shape as [number, number];
  if (typeof init === 'object') {
    const lists = init.subTokens;
    assert(lists.length === count && lists.every((ids) => ids.length > 0), RangeArgumentError,
      () => `subTokens must hold ${count} non-empty id lists (one per new row), got ${lists.length} (${lists.map((ids) => ids.length).join(', ')})`);
    lists.forEach((ids, i) => ids.forEach((id) => assert(Number.isInteger(id) && id >= 0 && id < rows, VocabularyError,
      () => `subTokens[${i}] holds id ${id}, outside the ${rows} existing rows`)));
    return tf.tidy(() => tf.stack(lists.map((ids) => tf.mean(tf.gather(table, tf.tensor1d([...ids], 'int32')), 0))) as tf.Tensor2D);
  }
  if (init === 'mean') return tf.tidy(() => tf.tile(tf.mean(table, 0, true), [count, 1]) as tf.Tensor2D);
  const values = await table.data() as Float32Array;
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d]! += values[r * dim + d]! / rows;
  const factor = choleskyFactor(scaledCovariance(values, mean, rows, dim, 1e-5), dim);
  if (factor === null) return tf.tidy(() => tf.tile(tf.tensor2d(Array.from(mean), [1, dim]), [count, 1]) as tf.Tensor2D);
  const rng = new Rng(seed);
  const out = new Float32Array(count * dim);
  const z = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < dim; d++) z[d] = rng.nextNormal();
    for (let i = 0; i < dim; i++) {
      let sum = mean[i]!;
      for (let j = 0; j <= i; j++) sum += factor[i * dim + j]! * z[j]!;
      out[n * dim + i] = sum;
    }
  }
  return tf.tensor2d(out, [count, dim]);
}

/** `scale · (X − μ)ᵀ(X − μ) / rows`, `[dim, dim]` row-major, in float64. */
function scaledCovariance(values: Float32Array, mean: Float64Array, rows: number, dim: number, scale: number): Float64Array {
  const cov = new Float64Array(dim * dim);
  const centered = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) centered[d] = values[r * dim + d]! - mean[d]!;
    for (let i = 0; i < dim; i++) {
      const ci = centered[i]!;
      for (let j = 0; j <= i; j++) cov[i * dim + j]! += ci * centered[j]!;
    }
  }
  for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) cov[i * dim + j] = (cov[i * dim + j]! * scale) / rows;
  return cov;
}

/** Lower Cholesky factor of a symmetric matrix given by its lower triangle, or null when not positive definite. */
function choleskyFactor(lower: Float64Array, dim: number): Float64Array | null {
  const l = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = lower[i * dim + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * dim + k]! * l[j * dim + k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * dim + i] = Math.sqrt(sum);
      } else l[i * dim + j] = sum / l[j * dim + j]!;
    }
  }
  return l;
}
