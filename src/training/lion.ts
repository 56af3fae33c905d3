import * as tf from '@tensorflow/tfjs-core';
import { SlotOptimizer, type OptimizerOptions } from './optimizer.js';
import { checkHyperparameter } from './param-groups.js';

/** Options of {@link Lion}; the defaults are the paper's and lion-pytorch's. */
export interface LionOptions extends OptimizerOptions {
  /** Interpolation between momentum and gradient for the update's sign (default 0.9). */
  readonly beta1?: number;
  /** Decay rate of the momentum (default 0.99). */
  readonly beta2?: number;
}

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al., "Symbolic Discovery of Optimization Algorithms",
 * https://arxiv.org/abs/2302.06675), as the paper's pseudocode and lucidrains' lion-pytorch
 * compute it. Per parameter with gradient `g`, `λ` its decoupled weight decay:
 *
 * ```text
 * p ← p · (1 − lr·λ)
 * p ← p − lr · sign(β1·m + (1 − β1)·g)
 * m ← β2·m + (1 − β2)·g
 * ```
 *
 * Every step has size lr in each coordinate, so Lion wants a learning rate 3-10x smaller than
 * AdamW's and a decay 3-10x larger. The decay goes to the parameters the default rule or a group
 * selects (see {@link OptimizerOptions.groups}). The only slot is `m`.
 *
 * @example
 * ```ts
 * // 3-10x below AdamW's rate, 3-10x above its decay; biases, norms and embeddings do not decay.
 * declare const model: GPTCausalLM, grads: Gradients;
 * const opt = new Lion(model.namedParameters(), { learningRate: 3e-5, weightDecay: 1 });
 * opt.applyGradients(grads);
 * opt.dispose();
 * ```
 */
export class Lion extends SlotOptimizer {
  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters
   * @throws RangeArgumentError when a beta lies outside [0, 1]
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: LionOptions) {
    const beta1 = options.beta1 ?? 0.9;
    const beta2 = options.beta2 ?? 0.99;
    checkHyperparameter('beta1', beta1, '[0, 1]');
    checkHyperparameter('beta2', beta2, '[0, 1]');
    super('lion', params, options, {
      slotShapes: (param) => ({ m: param.shape }),
      update: ({ param, grad, slots, learningRate, weightDecay }) => {
        const m = slots['m'] as tf.Variable;
        const direction = tf.sign(tf.add(tf.mul(m, beta1), tf.mul(grad, 1 - beta1)));
        param.assign(tf.sub(tf.mul(param, 1 - learningRate * weightDecay), tf.mul(direction, learningRate)));
        m.assign(tf.add(tf.mul(m, beta2), tf.mul(grad, 1 - beta2)));
      },
    });
  }
}
