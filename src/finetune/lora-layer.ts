import * as tf from '@tensorflow/tfjs-core';
import { Dropout } from '../layers/dropout.js';
import { Module } from '../layers/module.js';
import { assertPositiveInteger } from '../layers/validate.js';
import { Rng } from '../utils/rng.js';
import { loraScaling, type LoRAConfig } from './lora-config.js';

/**
 * The low-rank update of one Linear layer: `dropout(x) · A · B · scaling`, with `A` `[in, r]` and
 * `B` `[r, out]` (the transposes of PEFT's `lora_A.weight` `[r, in]` and `lora_B.weight` `[out, r]`,
 * so the forward pass is two plain matMuls). As in PEFT, `A` starts Kaiming-uniform
 * (`a = sqrt(5)`, i.e. uniform(±1/sqrt(in))) and `B` at zero, so a new adapter changes nothing.
 * Hu et al., https://arxiv.org/abs/2106.09685.
 *
 * @example
 * ```ts
 * const lora = new LoRALayer(64, 192, resolveLoRAConfig({ rank: 4, alpha: 8 }), 1);
 * const y = lora.forward(tf.ones([10, 64]) as tf.Tensor2D, false); // [10, 192], zeros at init
 * lora.dispose();
 * ```
 */
export class LoRALayer extends Module {
  /** `[inFeatures, rank]`, Kaiming-uniform. */
  readonly loraA: tf.Variable;
  /** `[rank, outFeatures]`, zeros. */
  readonly loraB: tf.Variable;
  /** Dropout on the input of the LoRA path. */
  readonly dropout: Dropout;
  /** Factor on `A·B`: `alpha / rank` (or `alpha / sqrt(rank)` with rsLoRA). */
  readonly scaling: number;

  /**
   * @param inFeatures - input size of the adapted Linear
   * @param outFeatures - output size of the adapted Linear
   * @param config - rank, alpha, dropout (see {@link resolveLoRAConfig})
   * @param seed - seed of `A` and of the dropout masks
   */
  constructor(readonly inFeatures: number, readonly outFeatures: number, config: LoRAConfig, seed: number) {
    super();
    assertPositiveInteger('inFeatures', inFeatures);
    assertPositiveInteger('outFeatures', outFeatures);
    const seeds = new Rng(seed);
    const bound = 1 / Math.sqrt(inFeatures); // kaiming_uniform_(a=sqrt(5)) on a [r, in] weight
    this.loraA = this.createParameter(() => tf.randomUniform([inFeatures, config.rank], -bound, bound, 'float32', seeds.nextSeed()));
    this.loraB = this.createParameter(() => tf.zeros([config.rank, outFeatures]));
    this.dropout = new Dropout(config.dropout, { seed: seeds.nextSeed() });
    this.scaling = loraScaling(config);
  }

  /**
   * @param x - `[N, inFeatures]`, the adapted layer's input
   * @param training - enables dropout
   * @returns `[N, outFeatures]`, to add to the layer's output
   */
  forward(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const dropped = this.dropout.forward(x, training);
      const low = tf.matMul(dropped as tf.Tensor2D, this.loraA); // [N, r]
      return tf.mul(tf.matMul(low, this.loraB), this.scaling) as tf.Tensor2D; // [N, out]
    });
  }

  /**
   * The update as a weight in the Linear layout: `A · B · scaling`.
   * @returns `[inFeatures, outFeatures]`; the caller disposes it
   */
  delta(): tf.Tensor2D {
    return tf.tidy(() => tf.mul(tf.matMul(this.loraA, this.loraB), this.scaling) as tf.Tensor2D);
  }
}
