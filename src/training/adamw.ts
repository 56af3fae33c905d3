import type * as tf from '@tensorflow/tfjs-core';
import { adamRule, type AdamOptions } from './adam.js';
import { SlotOptimizer } from './optimizer.js';

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization", https://arxiv.org/abs/1711.05101), computing exactly what PyTorch 1.13's
 * `torch.optim.AdamW` computes (maximize off). Per parameter with gradient `g`, `t` its own update
 * count (1 for its first) and `λ` its weight decay:
 *
 * ```text
 * p ← p · (1 − lr·λ)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²;   v̂ ← max(v̂, v) with amsgrad, else v̂ = v
 * p ← p − (lr / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + ε)
 * ```
 *
 * `weightDecay` (default 0.01) goes to the parameters {@link defaultWeightDecayFilter} selects
 * (rank >= 2, not embeddings); `groups` override it and the learning rate per parameter (first
 * match wins; see `ParamGroup` for the rule order). Parameters whose `trainable` flag is false, or
 * without a gradient in an update, are left alone with their moments and count `t`.
 *
 * @example
 * ```ts
 * const w = tf.variable(tf.randomNormal([4, 4], 0, 1, 'float32', 1));
 * const opt = new AdamW([['w', w]], {
 *   learningRate: (step) => 1e-3 * Math.min(1, (step + 1) / 100),
 *   groups: [{ match: (name) => name === 'w', learningRateScale: 0.5 }],
 * });
 * const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
 * opt.applyGradients({ w: grads[w.name]! }); // tfjs keys by variable name, AdamW by parameter name
 * tf.dispose([value, grads]);
 * opt.dispose();
 * ```
 */
export class AdamW extends SlotOptimizer {
  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: AdamOptions) {
    super('adamw', params, { ...options, weightDecay: options.weightDecay ?? 0.01 }, adamRule(options, true));
  }
}
