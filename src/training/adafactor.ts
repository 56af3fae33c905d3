import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { SlotOptimizer, type LearningRate, type OptimizerOptions } from './optimizer.js';
import { checkHyperparameter } from './param-groups.js';

/** Options of {@link Adafactor}; the defaults are Hugging Face's. */
export interface AdafactorOptions extends Omit<OptimizerOptions, 'learningRate'> {
  /** External learning rate, constant or scheduled; only without `relativeStep`. */
  readonly learningRate?: LearningRate;
  /** Step size `min(1e-2, 1/√t)` computed from the update count (default: true exactly when no `learningRate` is given). */
  readonly relativeStep?: boolean;
  /** With `relativeStep`, warm up as `min(1e-6·t, 1/√t)` instead (default false). */
  readonly warmupInit?: boolean;
  /** Multiply the step size by the parameter's RMS, at least `epsilon2` (default true). */
  readonly scaleParameter?: boolean;
  /** Added to the squared gradient (default 1e-30). */
  readonly epsilon1?: number;
  /** Floor of the parameter RMS in `scaleParameter` (default 1e-3). */
  readonly epsilon2?: number;
  /** Updates are scaled down to this root mean square at most (default 1). */
  readonly clipThreshold?: number;
  /** Exponent c of the second-moment decay `β2(t) = 1 − t^c` (default -0.8). */
  readonly decayRate?: number;
  /** Decay rate of a first-moment average of the updates (default: none, no `m` slot). */
  readonly beta1?: number;
}

/** Hugging Face's time-dependent step size of update `t` (1 for the first). */
function relativeStepSize(t: number, warmupInit: boolean): number {
  return Math.min(warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t));
}

/** Root mean square of all of `x`'s values, as a scalar tensor. */
function rms(x: tf.Tensor): tf.Tensor {
  return tf.div(tf.sqrt(tf.sum(tf.square(x))), Math.sqrt(x.size));
}

/**
 * Adafactor (Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost",
 * https://arxiv.org/abs/1804.04235), computing what Hugging Face transformers' `Adafactor`
 * computes. Per parameter with gradient `g`, `t` its own update count (1 for its first), `λ` its
 * weight decay:
 *
 * ```text
 * ρ ← relativeStep ? min(warmupInit ? 1e-6·t : 1e-2, 1/√t) : lr;   α ← scaleParameter ? max(ε2, RMS(p))·ρ : ρ
 * β2 ← 1 − t^decayRate;   G ← g² + ε1
 * rank >= 2: R ← β2·R + (1 − β2)·mean_last(G);  C ← β2·C + (1 − β2)·mean_second_last(G)
 *            u ← g / √(R / mean_last(R) ⊗ C)            (factored second moment)
 * else:      V ← β2·V + (1 − β2)·G;  u ← g / √V
 * u ← α · u / max(1, RMS(u) / clipThreshold);   with beta1: m ← β1·m + (1 − β1)·u, u ← m
 * p ← p − λ·α·p − u
 * ```
 *
 * So a [R, C] matrix keeps R + C second-moment values rather than R·C. Slots: `row` and `col`
 * (rank >= 2) or `v`, and `m` with `beta1`. `currentLearningRate()` returns ρ
 * (before the parameter scale). With an external `learningRate`, Hugging Face recommends
 * `scaleParameter: false` and warmup in the schedule.
 *
 * @example
 * ```ts
 * // Hugging Face's T5 fine-tuning settings: external rate, no parameter scaling.
 * declare const model: T5Seq2SeqLM, grads: Gradients;
 * const opt = new Adafactor(model.namedParameters(), { learningRate: 1e-3, scaleParameter: false });
 * opt.applyGradients(grads);
 * const state = await opt.getState(); // slots row/col per matrix: R + C values, not R·C
 * ```
 */
export class Adafactor extends SlotOptimizer {
  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters (all optional)
   * @throws ConfigError when `learningRate` and `relativeStep` are combined, neither is given, or
   *   `warmupInit` comes without `relativeStep`
   * @throws RangeArgumentError when a hyperparameter lies outside its range
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: AdafactorOptions = {}) {
    const relativeStep = options.relativeStep ?? options.learningRate === undefined;
    const warmupInit = options.warmupInit ?? false;
    const scaleParameter = options.scaleParameter ?? true;
    const { epsilon1 = 1e-30, epsilon2 = 1e-3, clipThreshold = 1, decayRate = -0.8, beta1 } = options;
    assert(relativeStep === (options.learningRate === undefined), ConfigError,
      () => `give either learningRate (${options.learningRate}) or relativeStep (${relativeStep}), exactly one`);
    assert(!warmupInit || relativeStep, ConfigError, () => 'warmupInit needs relativeStep');
    checkHyperparameter('epsilon1', epsilon1, '>= 0');
    checkHyperparameter('epsilon2', epsilon2, '>= 0');
    checkHyperparameter('clipThreshold', clipThreshold, '> 0');
    checkHyperparameter('decayRate', decayRate, '<= 0');
    if (beta1 !== undefined) checkHyperparameter('beta1', beta1, '[0, 1)');
    const learningRate = options.learningRate ?? ((step: number) => relativeStepSize(step + 1, warmupInit));
    super('adafactor', params, { ...options, learningRate }, {
      slotShapes: (param) => {
        const shape = param.shape;
        const shapes: Record<string, number[]> = shape.length >= 2
          ? { row: shape.slice(0, -1), col: [...shape.slice(0, -2), shape[shape.length - 1] as number] }
          : { v: shape };
        if (beta1 !== undefined) shapes['m'] = shape;
        return shapes;
      },
      update: ({ param, grad, slots, step, learningRate: lr, learningRateScale, weightDecay }) => {
        const { row, col, v, m } = slots;
        const rho = relativeStep ? relativeStepSize(step, warmupInit) * learningRateScale : lr;
        const alpha = scaleParameter ? tf.mul(tf.maximum(rms(param), epsilon2), rho) : tf.scalar(rho);
        const beta2 = 1 - step ** decayRate;
        const squared = tf.add(tf.square(grad), epsilon1);
        let u: tf.Tensor;
        if (row !== undefined && col !== undefined) {
          const r = tf.add(tf.mul(row, beta2), tf.mul(tf.mean(squared, -1), 1 - beta2));
          const c = tf.add(tf.mul(col, beta2), tf.mul(tf.mean(squared, -2), 1 - beta2));
          row.assign(r);
          col.assign(c);
          const rFactor = tf.expandDims(tf.rsqrt(tf.div(r, tf.mean(r, -1, true))), -1); // [..., R] -> [..., R, 1]
          const cFactor = tf.expandDims(tf.rsqrt(c), -2); // [..., C] -> [..., 1, C]
          u = tf.mul(tf.mul(rFactor, cFactor), grad);
        } else {
          const second = tf.add(tf.mul(v as tf.Variable, beta2), tf.mul(squared, 1 - beta2));
          (v as tf.Variable).assign(second);
          u = tf.mul(tf.rsqrt(second), grad);
        }
        u = tf.mul(tf.div(u, tf.maximum(tf.div(rms(u), clipThreshold), 1)), alpha);
        if (m !== undefined && beta1 !== undefined) {
          u = tf.add(tf.mul(m, beta1), tf.mul(u, 1 - beta1));
          m.assign(u);
        }
        const decayed = weightDecay !== 0 ? tf.add(param, tf.mul(param, tf.mul(alpha, -weightDecay))) : param;
        param.assign(tf.sub(decayed, u));
      },
    });
  }
}
