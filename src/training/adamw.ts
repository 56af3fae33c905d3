import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError, ShapeError, StateDictError } from '../utils/errors.js';
import { defaultWeightDecayFilter } from './weight-decay.js';

/** A constant learning rate, or a schedule `(step) => lr` where `step` is 0 for the first update. */
export type LearningRate = number | ((step: number) => number);

/** Options of {@link AdamW}; the defaults are PyTorch's. */
export interface AdamWOptions {
  /** Learning rate, constant or scheduled (`step` counts updates already applied, from 0). */
  readonly learningRate: LearningRate;
  /** Decay rate of the first-moment average (default 0.9). */
  readonly beta1?: number;
  /** Decay rate of the second-moment average (default 0.999). */
  readonly beta2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  readonly epsilon?: number;
  /** Decoupled weight decay coefficient λ (default 0.01, as `torch.optim.AdamW`). */
  readonly weightDecay?: number;
  /** Which parameters decay (default {@link defaultWeightDecayFilter}). Evaluated once, here. */
  readonly decay?: (name: string, variable: tf.Variable) => boolean;
}

/** Saved moments of one parameter: its own update count and both running averages, flattened. */
export interface AdamWMoments {
  /** Updates this parameter received (it skips steps where it had no gradient, as in PyTorch). */
  readonly step: number;
  /** First moment, `size` values in row-major order. */
  readonly m: Float32Array;
  /** Second moment, `size` values in row-major order. */
  readonly v: Float32Array;
}

/** Whole optimizer state, enough to resume training bit for bit. Moments exist once a parameter got a gradient. */
export interface AdamWState {
  /** Updates applied so far (the step the learning-rate schedule sees next). */
  readonly step: number;
  /** Moments by parameter name. */
  readonly moments: Readonly<Record<string, AdamWMoments>>;
}

/** Live moments of one parameter. */
interface Slot {
  step: number;
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization", https://arxiv.org/abs/1711.05101), computing exactly what PyTorch 1.13's
 * `torch.optim.AdamW` computes (amsgrad off, maximize off). Per parameter with gradient `g`, with
 * `t` the parameter's own update count (1 for its first):
 *
 * ```text
 * p ← p · (1 − lr·λ)                       (only parameters selected by `decay`)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * ```
 *
 * Parameters whose `trainable` flag is false when {@link AdamW.applyGradients} runs are left
 * alone, and so is a parameter without a gradient that step (PyTorch's `None` grad): its moments
 * and its count `t` stay as they are. Moments are created at a parameter's first gradient.
 *
 * @example
 * ```ts
 * const w = tf.variable(tf.randomNormal([4, 4], 0, 1, 'float32', 1));
 * const opt = new AdamW([['w', w]], { learningRate: (step) => 1e-3 * Math.min(1, (step + 1) / 100) });
 * const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
 * opt.applyGradients({ w: grads[w.name]! }); // tfjs keys by variable name, AdamW by parameter name
 * tf.dispose([value, grads]);
 * opt.dispose();
 * ```
 */
export class AdamW {
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly decayed: ReadonlySet<string>;
  private readonly slots = new Map<string, Slot>();
  private readonly learningRate: LearningRate;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private updates = 0;

  /**
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate and hyperparameters
   */
  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: AdamWOptions) {
    this.params = new Map(params);
    const duplicates = params.map(([n]) => n).filter((n, i, all) => all.indexOf(n) !== i);
    assert(duplicates.length === 0, ConfigError, () => `duplicate parameter names: ${[...new Set(duplicates)].join(', ')}`);
    this.learningRate = options.learningRate;
    if (typeof this.learningRate === 'number') checkLearningRate(this.learningRate, 'learningRate');
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    for (const [key, value] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      assert(value >= 0 && value < 1, RangeArgumentError, () => `${key} (${value}) must lie in [0, 1)`);
    }
    assert(this.epsilon >= 0 && Number.isFinite(this.epsilon), RangeArgumentError,
      () => `epsilon (${this.epsilon}) must be finite and >= 0`);
    assert(this.weightDecay >= 0 && Number.isFinite(this.weightDecay), RangeArgumentError,
      () => `weightDecay (${this.weightDecay}) must be finite and >= 0`);
    const decay = options.decay ?? defaultWeightDecayFilter;
    this.decayed = new Set(params.filter(([name, v]) => decay(name, v)).map(([name]) => name));
  }

  /** Number of updates applied so far; the learning-rate schedule sees this value next. */
  get step(): number {
    return this.updates;
  }

  /** The learning rate the next {@link AdamW.applyGradients} will use. */
  currentLearningRate(): number {
    if (typeof this.learningRate === 'number') return this.learningRate;
    const lr = this.learningRate(this.updates);
    checkLearningRate(lr, `learningRate(${this.updates})`);
    return lr;
  }

  /**
   * Applies one AdamW update to every trainable parameter that has a gradient, with `assign`
   * inside one `tf.tidy`, then advances {@link AdamW.step}.
   *
   * @param grads - gradients keyed by parameter name, each shaped like its parameter. The caller
   *   keeps ownership: they are not disposed here. A missing name skips that parameter; a
   *   gradient for a frozen parameter is ignored.
   * @throws StateDictError when a name is not one of the parameters
   * @throws ShapeError when a gradient's shape differs from its parameter's
   */
  applyGradients(grads: Readonly<Record<string, tf.Tensor>> | ReadonlyMap<string, tf.Tensor>): void {
    const given = new Map(grads instanceof Map ? grads : Object.entries(grads));
    const unknown = [...given.keys()].filter((name) => !this.params.has(name));
    assert(unknown.length === 0, StateDictError, () => `gradients for unknown parameters: ${unknown.join(', ')}`);
    const misshapen = [...given].filter(([name, g]) => !tf.util.arraysEqual(g.shape, this.params.get(name)?.shape ?? []));
    assert(misshapen.length === 0, ShapeError, () => `gradient shapes differ from their parameters: ${misshapen
      .map(([name, g]) => `${name}: [${g.shape}] vs [${this.params.get(name)?.shape}]`).join('; ')}`);
    const lr = this.currentLearningRate();
    const work: Array<[tf.Variable, tf.Tensor, Slot, boolean]> = [];
    for (const [name, p] of this.params) {
      const g = given.get(name);
      if (g === undefined || !p.trainable) continue;
      work.push([p, g, this.slotFor(name, p), this.decayed.has(name)]);
    }
    const { beta1, beta2, epsilon } = this;
    tf.tidy(() => {
      for (const [p, g, slot, decays] of work) {
        const t = slot.step + 1;
        const stepSize = lr / (1 - beta1 ** t);
        const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** t);
        const decayed = decays ? tf.mul(p, 1 - lr * this.weightDecay) : p;
        const m = tf.add(tf.mul(slot.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(slot.v, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), epsilon);
        slot.m.assign(m);
        slot.v.assign(v);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
    for (const [, , slot] of work) slot.step += 1;
    this.updates += 1;
  }

  /**
   * Copies the state out of the tensors (awaiting their data), for a checkpoint. The arrays are
   * fresh copies owned by the caller.
   */
  async getState(): Promise<AdamWState> {
    const moments: Record<string, AdamWMoments> = {};
    for (const [name, slot] of this.slots) {
      const [m, v] = await Promise.all([slot.m.data(), slot.v.data()]);
      moments[name] = { step: slot.step, m: Float32Array.from(m), v: Float32Array.from(v) };
    }
    return { step: this.updates, moments };
  }

  /**
   * Restores a state taken by {@link AdamW.getState}, replacing all moments (a parameter absent
   * from `state.moments` starts afresh at its next gradient). Everything is validated before
   * anything changes.
   *
   * @throws RangeArgumentError when a step count is not a non-negative integer
   * @throws StateDictError when a name is unknown or an array's length differs from its parameter's size
   */
  setState(state: AdamWState): void {
    assert(Number.isInteger(state.step) && state.step >= 0, RangeArgumentError,
      () => `state.step (${state.step}) must be a non-negative integer`);
    const problems: string[] = [];
    for (const [name, saved] of Object.entries(state.moments)) {
      const p = this.params.get(name);
      if (p === undefined) {
        problems.push(`${name}: not a parameter of this optimizer`);
        continue;
      }
      if (!Number.isInteger(saved.step) || saved.step < 1) problems.push(`${name}: step (${saved.step}) must be a positive integer`);
      if (saved.m.length !== p.size) problems.push(`${name}: m has ${saved.m.length} values, parameter size is ${p.size}`);
      if (saved.v.length !== p.size) problems.push(`${name}: v has ${saved.v.length} values, parameter size is ${p.size}`);
    }
    assert(problems.length === 0, StateDictError, () => `cannot restore AdamW state: ${problems.join('; ')}`);
    this.disposeSlots();
    for (const [name, saved] of Object.entries(state.moments)) {
      const shape = (this.params.get(name) as tf.Variable).shape;
      this.slots.set(name, {
        step: saved.step,
        // Copies, so that later changes to the caller's arrays cannot reach the variables.
        m: tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(saved.m), shape), false)),
        v: tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(saved.v), shape), false)),
      });
    }
    this.updates = state.step;
  }

  /** Disposes the moments. The parameters belong to the model and are left alone. */
  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
  }

  /** The moments of `name`, created as zeros at the parameter's first gradient. */
  private slotFor(name: string, p: tf.Variable): Slot {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = {
        step: 0,
        m: tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
        v: tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      };
      this.slots.set(name, slot);
    }
    return slot;
  }
}

function checkLearningRate(lr: number, what: string): void {
  assert(Number.isFinite(lr) && lr >= 0, RangeArgumentError, () => `${what} (${lr}) must be finite and >= 0`);
}
