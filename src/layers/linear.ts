import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { assertPositiveInteger } from './validate.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a learned bias (default true). */
  readonly bias?: boolean;
  /** Standard deviation of the normal weight init (default 0.02, GPT-2/BERT). */
  readonly initStd?: number;
  /** Seed of the weight init. */
  readonly seed: number;
}

/**
 * Affine map `y = x W + b`. The weight is stored `[inFeatures, outFeatures]` (the layout of
 * GPT-2's `Conv1D`, the transpose of `torch.nn.Linear.weight`) so the forward pass is one plain
 * matMul of a 2-D input: the fast path of every backend.
 *
 * @example
 * ```ts
 * const fc = new Linear(4, 8, { seed: 1 });
 * const y = fc.forward(tf.ones([2, 3, 4])); // [2, 3, 8]
 * fc.dispose();
 * ```
 */
export class Linear extends Module {
  /** `[inFeatures, outFeatures]`, initialised normal(0, initStd); replaced by {@link Linear.setParameters}. */
  weight: tf.Variable;
  /** `[outFeatures]`, initialised to zeros; absent when `bias: false`. */
  bias?: tf.Variable;
  /**
   * Optional extra path whose result is added to `x W + b` (e.g. a LoRA adapter): it receives the
   * input as `[N, inFeatures]` and returns `[N, outFeatures]`, or null to add nothing. Its weights
   * are not parameters of this layer (not saved with it): whoever sets the hook owns them.
   */
  adapter: ((x: tf.Tensor2D) => tf.Tensor | null) | undefined = undefined;

  /**
   * @param inFeatures - size of the last input axis
   * @param outFeatures - size of the last output axis
   */
  constructor(readonly inFeatures: number, public outFeatures: number, options: LinearOptions) {
    super();
    assertPositiveInteger('inFeatures', inFeatures);
    assertPositiveInteger('outFeatures', outFeatures);
    const std = options.initStd ?? 0.02;
    this.weight = this.createNormalParameter([inFeatures, outFeatures], std, options.seed);
    if (options.bias ?? true) this.bias = this.createParameter(() => tf.zeros([outFeatures]));
  }

  /**
   * Replaces the weight (and the bias, when the layer has one) by copies of new values with any
   * number of output features (e.g. a vocabulary head grown or cut), keeping the trainable flags;
   * the old variables are disposed.
   * @param weight - `[inFeatures, outFeatures']`; the caller keeps ownership
   * @param bias - `[outFeatures']`, required exactly when the layer has a bias
   * @throws ShapeError for shapes that do not fit
   * @example
   * ```ts
   * declare const head: Linear, extraColumns: tf.Tensor2D, extraBias: tf.Tensor1D;
   * head.setParameters(tf.concat([head.weight, extraColumns], 1), tf.concat([head.bias!, extraBias]));
   * ```
   */
  setParameters(weight: tf.Tensor, bias?: tf.Tensor): void {
    const out = weight.shape[1] as number;
    assert(weight.rank === 2 && weight.shape[0] === this.inFeatures && out > 0, ShapeError,
      () => `Linear.setParameters expects a weight [${this.inFeatures}, out], got [${weight.shape}]`);
    assert((bias === undefined) === (this.bias === undefined) && (bias === undefined || tf.util.arraysEqual(bias.shape, [out])), ShapeError,
      () => `Linear.setParameters expects ${this.bias === undefined ? 'no bias' : `a bias [${out}]`}, got ${bias === undefined ? 'none' : `[${bias.shape}]`}`);
    const replace = (old: tf.Variable, value: tf.Tensor): tf.Variable => {
      const trainable = old.trainable;
      old.dispose();
      return this.createParameter(() => tf.cast(value, 'float32'), trainable);
    };
    this.weight = replace(this.weight, weight);
    if (this.bias !== undefined && bias !== undefined) this.bias = replace(this.bias, bias);
    this.outFeatures = out;
  }

  /**
   * @param x - `[..., inFeatures]`
   * @returns `[..., outFeatures]`
   * @throws ShapeError when the last axis is not `inFeatures`
   */
  forward(x: tf.Tensor): tf.Tensor {
    assert(x.shape[x.rank - 1] === this.inFeatures, ShapeError,
      () => `Linear expects [..., ${this.inFeatures}], got [${x.shape}]`);
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]); // [..., in] -> [N, in]
      let y: tf.Tensor = tf.matMul(flat, this.weight); // [N, out]
      if (this.bias !== undefined) y = tf.add(y, this.bias);
      const extra = this.adapter?.(flat as tf.Tensor2D);
      if (extra) y = tf.add(y, extra);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]); // [N, out] -> [..., out]
    });
  }
}
