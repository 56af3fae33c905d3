import * as tf from '@tensorflow/tfjs-core';
import { checkHyperparameter } from './param-groups.js';
import { SlotOptimizer, type OptimizerOptions, type ParameterUpdate, type UpdateRule } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}; the defaults are PyTorch's. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay rate of the first-moment average (default 0.9). */
  readonly beta1?: number;
  /** Decay rate of the second-moment average (default 0.999). */
  readonly beta2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  readonly epsilon?: number;
  /** Use the running maximum of the second moment (Reddi et al., https://openreview.net/forum?id=ryQu7f-RZ; default false). */
  readonly amsgrad?: boolean;
}

/**
 * The Adam update as PyTorch 1.13 computes it (`_single_tensor_adam` / `_single_tensor_adamw`),
 * with the weight decay either added to the gradient (`decoupled` false: `torch.optim.Adam`) or
 * applied to the weights (`decoupled` true: `torch.optim.AdamW`). Slots `m`, `v` (and `vMax` with
 * amsgrad). Validates the options.
 *
 * @param options - the Adam hyperparameters
 * @param decoupled - whether weight decay is decoupled from the gradient
 * @returns the update rule for a {@link SlotOptimizer}
 * @throws RangeArgumentError when a beta is outside [0, 1) or epsilon is negative
 * @example
 * ```ts
 * declare const params: Array<[string, tf.Variable]>;
 * const opt = new SlotOptimizer('adam', params, { learningRate: 1e-3, weightDecay: 0 }, adamRule({ amsgrad: true }, false));
 * ```
 */
export function adamRule(options: Pick<AdamOptions, 'beta1' | 'beta2' | 'epsilon' | 'amsgrad'>, decoupled: boolean): UpdateRule {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const amsgrad = options.amsgrad ?? false;
  checkHyperparameter('beta1', beta1, '[0, 1)');
  checkHyperparameter('beta2', beta2, '[0, 1)');
  checkHyperparameter('epsilon', epsilon, '>= 0');
  return {
    slotShapes: (param) => {
      const shapes: Record<string, number[]> = { m: param.shape, v: param.shape };
      if (amsgrad) shapes['vMax'] = param.shape;
      return shapes;
    },
    update: ({ param, grad, slots, step, learningRate: lr, weightDecay }: ParameterUpdate) => {
      const { m: mSlot, v: vSlot, vMax } = slots as Record<string, tf.Variable>;
      const g = !decoupled && weightDecay !== 0 ? tf.add(grad, tf.mul(param, weightDecay)) : grad;
      const base = decoupled ? tf.mul(param, 1 - lr * weightDecay) : param;
      const m = tf.add(tf.mul(mSlot as tf.Variable, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(vSlot as tf.Variable, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
      mSlot?.assign(m);
      vSlot?.assign(v);
      let second = v;
      if (vMax !== undefined) {
        second = tf.maximum(vMax, v);
        vMax.assign(second);
      }
      const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(1 - beta2 ** step)), epsilon);
      param.assign(tf.sub(base, tf.mul(tf.div(m, denom), lr / (1 - beta1 ** step))));
    },
  };
}

/**
 * Adam (Kingma & Ba, https://arxiv.org/abs/1412.6980), computing exactly what PyTorch 1.13's
 * `torch.optim.Adam` computes (maximize off). Per parameter with gradient `g`, `t` its own update
 * count (1 for its first) and `λ` its weight decay:
 *
 * ```text
 * g ← g + λ·p                                   (L2 penalty, when λ ≠ 0)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²;   v̂ ← max(v̂, v) with amsgrad, else v̂ = v
 * p ← p − (lr / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + ε)
 * ```
 *
 * The weight decay goes only to the parameters the default rule or a group selects (see
 * {@link OptimizerOptions.groups}); for decay that does not pass through the moments use {@link AdamW}.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, grads: Gradients;
 * const opt = new Adam(model.namedParameters(), { learningRate: 1e-3, weightDecay: 1e-4, amsgrad: true });
 * opt.applyGradients(grads);
 * opt.dispose();
 * ```
 */
export class Adam extends SlotOptimizer {
  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: AdamOptions) {
    super('adam', params, options, adamRule(options, false));
  }
}
