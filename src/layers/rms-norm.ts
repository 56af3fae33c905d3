import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { rmsNorm } from '../ops/rms-norm.js';
import { assertPositiveInteger } from './validate.js';

/** Options of {@link RMSNorm}. */
export interface RMSNormOptions {
  /** Added to the mean square (default 1e-6, T5 and LLaMA). */
  readonly eps?: number;
}

/**
 * Root-mean-square normalisation with a learned scale and no bias or mean subtraction (T5's
 * `T5LayerNorm`, LLaMA's `RMSNorm`). Paper: https://arxiv.org/abs/1910.07467
 *
 * @example
 * ```ts
 * const norm = new RMSNorm(8);
 * const y = norm.forward(tf.randomNormal([2, 3, 8])); // [2, 3, 8]
 * norm.dispose();
 * ```
 */
export class RMSNorm extends Module {
  /** Scale `[dim]`, initialised to ones. */
  readonly weight: tf.Variable;
  /** Added to the mean square. */
  readonly eps: number;

  /** @param dim - size of the normalised last axis */
  constructor(readonly dim: number, options: RMSNormOptions = {}) {
    super();
    assertPositiveInteger('dim', dim);
    this.eps = options.eps ?? 1e-6;
    this.weight = this.createParameter(() => tf.ones([dim]));
  }

  /**
   * @param x - `[..., dim]`
   * @returns `[..., dim]`
   */
  forward(x: tf.Tensor): tf.Tensor {
    return rmsNorm(x, this.weight, this.eps);
  }
}
