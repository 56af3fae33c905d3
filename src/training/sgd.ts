import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { SlotOptimizer, type OptimizerOptions } from './optimizer.js';
import { checkHyperparameter } from './param-groups.js';

/** Options of {@link SGD}; the defaults are PyTorch's. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor μ (default 0: plain SGD, no state). */
  readonly momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  readonly dampening?: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum (Sutskever et al. 2013,
 * http://proceedings.mlr.press/v28/sutskever13.html), computing exactly what PyTorch 1.13's
 * `torch.optim.SGD` computes (maximize off). Per parameter with gradient `g`, `λ` its weight decay:
 *
 * ```text
 * g ← g + λ·p                                       (L2 penalty, when λ ≠ 0)
 * b ← g at the parameter's first update, else μ·b + (1 − τ)·g   (when μ ≠ 0)
 * g ← g + μ·b with nesterov, else b                 (when μ ≠ 0)
 * p ← p − lr·g
 * ```
 *
 * The weight decay goes to the parameters the default rule or a group selects (see
 * {@link OptimizerOptions.groups}). The only slot is `momentum`, and only when μ ≠ 0.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, grads: Gradients;
 * const opt = new SGD(model.namedParameters(), { learningRate: 0.1, momentum: 0.9, nesterov: true });
 * opt.applyGradients(grads); // gradients keyed by parameter name
 * opt.dispose();
 * ```
 */
export class SGD extends SlotOptimizer {
  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters
   * @throws RangeArgumentError when momentum or dampening is negative or not finite
   * @throws ConfigError when nesterov is asked for without momentum or with dampening
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: SGDOptions) {
    const momentum = options.momentum ?? 0;
    const dampening = options.dampening ?? 0;
    const nesterov = options.nesterov ?? false;
    checkHyperparameter('momentum', momentum, '>= 0');
    checkHyperparameter('dampening', dampening, '>= 0');
    assert(!nesterov || (momentum > 0 && dampening === 0), ConfigError,
      () => `nesterov needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`);
    super('sgd', params, options, {
      slotShapes: (param): Record<string, number[]> => (momentum === 0 ? {} : { momentum: param.shape }),
      update: ({ param, grad, slots, step, learningRate, weightDecay }) => {
        let g = weightDecay !== 0 ? tf.add(grad, tf.mul(param, weightDecay)) : grad;
        const buffer = slots['momentum'];
        if (buffer !== undefined) {
          const b = step === 1 ? g : tf.add(tf.mul(buffer, momentum), tf.mul(g, 1 - dampening));
          buffer.assign(b);
          g = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
        }
        param.assign(tf.sub(param, tf.mul(g, learningRate)));
      },
    });
  }
}
