import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { layerNorm } from '../ops/layer-norm.js';
import { assertPositiveInteger } from './validate.js';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5, PyTorch and GPT-2; BERT uses 1e-12). */
  readonly eps?: number;
}

/**
 * Layer normalisation over the last axis with a learned scale and shift, as
 * `torch.nn.LayerNorm(dim)`. Paper: https://arxiv.org/abs/1607.06450
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(8);
 * const y = ln.forward(tf.randomNormal([2, 3, 8])); // [2, 3, 8]
 * ln.dispose();
 * ```
 */
export class LayerNorm extends Module {
  /** Scale `[dim]`, initialised to ones. */
  readonly weight: tf.Variable;
  /** Shift `[dim]`, initialised to zeros. */
  readonly bias: tf.Variable;
  /** Added to the variance. */
  readonly eps: number;

  /** @param dim - size of the normalised last axis */
  constructor(readonly dim: number, options: LayerNormOptions = {}) {
    super();
    assertPositiveInteger('dim', dim);
    this.eps = options.eps ?? 1e-5;
    this.weight = this.createParameter(() => tf.ones([dim]));
    this.bias = this.createParameter(() => tf.zeros([dim]));
  }

  /**
   * @param x - `[..., dim]`
   * @returns `[..., dim]`
   */
  forward(x: tf.Tensor): tf.Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
