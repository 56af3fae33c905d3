import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError, ShapeError, StateDictError } from '../utils/errors.js';
import { checkHyperparameter, resolveParamGroups, type ParamGroup, type ParamHyperparameters } from './param-groups.js';

/** A constant learning rate, or a schedule `(step) => lr` where `step` is 0 for the first update. */
export type LearningRate = number | ((step: number) => number);

/** Gradients keyed by parameter name, each shaped like its parameter. */
export type Gradients = Readonly<Record<string, tf.Tensor>> | ReadonlyMap<string, tf.Tensor>;

/**
 * What the Trainer and checkpoints need of an optimizer: it updates named parameters from named
 * gradients and saves and restores its state.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, grads: Gradients;
 * const optimizer: Optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-4 });
 * optimizer.applyGradients(grads);
 * const state = await optimizer.getState(); // write state.slots as tensors, the rest as JSON
 * ```
 */
export interface Optimizer {
  /** Updates done so far. */
  readonly step: number;
  /** The learning rate the next update will use. */
  currentLearningRate(): number;
  /** Applies one update; `grads` are keyed by parameter name and are not disposed. */
  applyGradients(grads: Gradients): void;
  /** A serialisable snapshot for checkpoints, owned by the caller. */
  getState(): Promise<OptimizerState>;
  /** Restores a snapshot: validated first, then all or nothing, with typed errors. */
  setState(state: OptimizerState): void;
  /** Disposes the optimizer's own tensors (never the parameters). */
  dispose(): void;
}

/** One saved state tensor, flattened in row-major order. */
export interface SlotData {
  /** Its shape. */
  readonly shape: readonly number[];
  /** Its values, `shape` product many. */
  readonly data: Float32Array;
}

/**
 * An optimizer's whole state, flat: tensors a checkpoint can write as safetensors, and numbers it
 * can write as JSON.
 */
export interface OptimizerState {
  /** Which optimizer wrote it: `'adamw'`, `'adam'`, `'sgd'`, `'adafactor'`, `'lion'`. */
  readonly kind: string;
  /** Updates applied so far (the step the learning-rate schedule sees next). */
  readonly step: number;
  /** State tensors keyed `<slot>.<parameter name>`, e.g. `m.blocks.0.attn.qkv.weight`. */
  readonly slots: Readonly<Record<string, SlotData>>;
  /** Numbers keyed `step.<parameter name>`: the updates each parameter received. */
  readonly scalars: Readonly<Record<string, number>>;
}

/** Everything an {@link UpdateRule} needs to update one parameter. */
export interface ParameterUpdate {
  /** The parameter, updated with `assign`. */
  readonly param: tf.Variable;
  /** Its gradient (same shape). */
  readonly grad: tf.Tensor;
  /** Its state tensors by slot name, zeros before its first update. */
  readonly slots: Readonly<Record<string, tf.Variable>>;
  /** This parameter's update count including this one (1 for its first). */
  readonly step: number;
  /** Scheduled learning rate times the parameter's `learningRateScale`. */
  readonly learningRate: number;
  /** The parameter's `learningRateScale`, for rules that compute their own step size. */
  readonly learningRateScale: number;
  /** The parameter's weight-decay coefficient. */
  readonly weightDecay: number;
}

/** The math of one optimizer, as {@link SlotOptimizer} runs it. */
export interface UpdateRule {
  /** Shapes of the state tensors a parameter needs, by slot name (no dots). */
  slotShapes(param: tf.Variable): Readonly<Record<string, readonly number[]>>;
  /** Updates a parameter and its slots with `assign`; called inside `tf.tidy`. */
  update(u: ParameterUpdate): void;
}

/** Options every optimizer takes. */
export interface OptimizerOptions {
  /** Learning rate, constant or scheduled (`step` counts updates already applied, from 0). */
  readonly learningRate: LearningRate;
  /**
   * Weight decay of the parameters `decay` selects, unless a group sets theirs (default 0; see
   * {@link ParamGroup} for the rule order).
   */
  readonly weightDecay?: number;
  /** Per-group weight decay and learning-rate factor, first match wins (see {@link ParamGroup}). */
  readonly groups?: readonly ParamGroup[];
  /** Which parameters `weightDecay` applies to (default `defaultWeightDecayFilter`: rank >= 2, not embeddings). */
  readonly decay?: (name: string, variable: tf.Variable) => boolean;
}

/** Live state of one parameter. */
interface ParamState {
  step: number;
  readonly slots: Record<string, tf.Variable>;
}

/**
 * The shared machinery of wordforge's optimizers: named parameters, per-parameter hyperparameters
 * (param groups), learning-rate resolution, gradient validation, state tensors ("slots") created
 * as zeros at a parameter's first gradient, and state save/restore. The math comes from an
 * {@link UpdateRule}. Parameters whose `trainable` flag is false, and parameters without a gradient
 * in an update (PyTorch's `None` grad), are left alone, and so are their state and update count.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const signSgd: UpdateRule = {
 *   slotShapes: () => ({}),
 *   update: ({ param, grad, learningRate }) => param.assign(tf.sub(param, tf.mul(tf.sign(grad), learningRate))),
 * };
 * const opt = new SlotOptimizer('sign-sgd', model.namedParameters(), { learningRate: 1e-3, weightDecay: 0 }, signSgd);
 * ```
 */
export class SlotOptimizer implements Optimizer {
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly hyperparameters: ReadonlyMap<string, ParamHyperparameters>;
  private readonly states = new Map<string, ParamState>();
  private readonly learningRate: LearningRate;
  private updates = 0;

  /**
   * @param kind - names the optimizer in its saved state
   * @param params - named parameters, e.g. `model.namedParameters()`; the optimizer does not own them
   * @param options - learning rate, weight decay and param groups
   * @param rule - the update math
   * @throws ConfigError on duplicate parameter names
   * @throws RangeArgumentError on a negative or non-finite learning rate, decay or scale
   */
  constructor(
    readonly kind: string,
    params: ReadonlyArray<readonly [string, tf.Variable]>,
    options: OptimizerOptions,
    private readonly rule: UpdateRule,
  ) {
    const duplicates = params.map(([n]) => n).filter((n, i, all) => all.indexOf(n) !== i);
    assert(duplicates.length === 0, ConfigError, () => `duplicate parameter names: ${[...new Set(duplicates)].join(', ')}`);
    this.params = new Map(params);
    this.learningRate = options.learningRate;
    if (typeof this.learningRate === 'number') checkHyperparameter('learningRate', this.learningRate, '>= 0');
    this.hyperparameters = resolveParamGroups(params, options.weightDecay ?? 0, options.groups, options.decay);
  }

  /** Number of updates applied so far; the learning-rate schedule sees this value next. */
  get step(): number {
    return this.updates;
  }

  /** The learning rate the next {@link SlotOptimizer.applyGradients} will use (before group scales). */
  currentLearningRate(): number {
    if (typeof this.learningRate === 'number') return this.learningRate;
    const lr = this.learningRate(this.updates);
    checkHyperparameter(`learningRate(${this.updates})`, lr, '>= 0');
    return lr;
  }

  /**
   * Applies one update to every trainable parameter that has a gradient, with `assign` inside one
   * `tf.tidy`, then advances {@link SlotOptimizer.step}. Nothing changes when it throws.
   *
   * @param grads - gradients keyed by parameter name, each shaped like its parameter. The caller
   *   keeps ownership. A missing name skips that parameter; a gradient for a frozen one is ignored.
   * @throws StateDictError when a name is not one of the parameters
   * @throws ShapeError when a gradient's shape differs from its parameter's
   */
  applyGradients(grads: Gradients): void {
    const given = new Map(grads instanceof Map ? grads : Object.entries(grads));
    const unknown = [...given.keys()].filter((name) => !this.params.has(name));
    assert(unknown.length === 0, StateDictError, () => `gradients for unknown parameters: ${unknown.join(', ')}`);
    const misshapen = [...given].filter(([name, g]) => !tf.util.arraysEqual(g.shape, this.params.get(name)?.shape ?? []));
    assert(misshapen.length === 0, ShapeError, () => `gradient shapes differ from their parameters: ${misshapen
      .map(([name, g]) => `${name}: [${g.shape}] vs [${this.params.get(name)?.shape}]`).join('; ')}`);
    const lr = this.currentLearningRate();
    const work: Array<[ParamState, ParameterUpdate]> = [];
    for (const [name, param] of this.params) {
      const grad = given.get(name);
      if (grad === undefined || !param.trainable) continue;
      const state = this.stateFor(name, param);
      const { weightDecay, learningRateScale } = this.hyperparameters.get(name) as ParamHyperparameters;
      const learningRate = lr * learningRateScale;
      work.push([state, { param, grad, slots: state.slots, step: state.step + 1, learningRate, learningRateScale, weightDecay }]);
    }
    tf.tidy(() => {
      for (const [, u] of work) this.rule.update(u);
    });
    for (const [state] of work) state.step += 1;
    this.updates += 1;
  }

  /** Copies the state out of the tensors (awaiting their data); the arrays belong to the caller. */
  async getState(): Promise<OptimizerState> {
    const slots: Record<string, SlotData> = {};
    const scalars: Record<string, number> = {};
    for (const [name, state] of this.states) {
      scalars[`step.${name}`] = state.step;
      for (const [slot, v] of Object.entries(state.slots)) {
        slots[`${slot}.${name}`] = { shape: [...v.shape], data: Float32Array.from(await v.data()) };
      }
    }
    return { kind: this.kind, step: this.updates, slots, scalars };
  }

  /**
   * Restores a state taken by {@link SlotOptimizer.getState} of the same kind, replacing all of
   * the state (a parameter without a `step.<name>` scalar starts afresh at its next gradient).
   * Everything is validated before anything changes; the arrays are copied.
   *
   * @throws RangeArgumentError when `state.step` is not a non-negative integer
   * @throws StateDictError on another kind, an unknown parameter or slot, a missing slot, or a
   *   slot whose shape or length differs from what the parameter needs
   */
  setState(state: OptimizerState): void {
    assert(state.kind === this.kind, StateDictError, () => `cannot restore a '${state.kind}' state into a '${this.kind}' optimizer`);
    assert(Number.isInteger(state.step) && state.step >= 0, RangeArgumentError,
      () => `state.step (${state.step}) must be a non-negative integer`);
    const problems: string[] = [];
    const steps = new Map<string, number>();
    for (const [key, value] of Object.entries(state.scalars)) {
      const name = key.startsWith('step.') ? key.slice('step.'.length) : undefined;
      if (name === undefined || !this.params.has(name)) problems.push(`${key}: not a step of a parameter of this optimizer`);
      else if (!Number.isInteger(value) || value < 1) problems.push(`${key} (${value}) must be a positive integer`);
      else steps.set(name, value);
    }
    for (const [key, saved] of Object.entries(state.slots)) {
      const dot = key.indexOf('.');
      const [slot, name] = [key.slice(0, dot), key.slice(dot + 1)];
      const expected = steps.has(name) ? this.rule.slotShapes(this.params.get(name) as tf.Variable)[slot] : undefined;
      if (expected === undefined) problems.push(`${key}: not a slot of a parameter with a saved step`);
      else if (!tf.util.arraysEqual([...saved.shape], [...expected]) || saved.data.length !== tf.util.sizeFromShape([...expected])) {
        problems.push(`${key}: shape [${saved.shape}] with ${saved.data.length} values, expected [${expected}]`);
      }
    }
    for (const name of steps.keys()) {
      const missing = Object.keys(this.rule.slotShapes(this.params.get(name) as tf.Variable))
        .filter((slot) => !(`${slot}.${name}` in state.slots));
      if (missing.length > 0) problems.push(`${name}: missing slots ${missing.join(', ')}`);
    }
    assert(problems.length === 0, StateDictError, () => `cannot restore ${this.kind} state: ${problems.join('; ')}`);
    this.disposeStates();
    for (const [name, step] of steps) {
      const shapes = this.rule.slotShapes(this.params.get(name) as tf.Variable);
      // Copies, so that later changes to the caller's arrays cannot reach the variables.
      const slots = Object.fromEntries(Object.entries(shapes).map(([slot, shape]) => [slot,
        tf.tidy(() => tf.variable(tf.tensor(Float32Array.from((state.slots[`${slot}.${name}`] as SlotData).data), [...shape]), false))]));
      this.states.set(name, { step, slots });
    }
    this.updates = state.step;
  }

  /** Disposes the state tensors. The parameters belong to the model and are left alone. */
  dispose(): void {
    this.disposeStates();
  }

  private disposeStates(): void {
    for (const state of this.states.values()) tf.dispose(Object.values(state.slots));
    this.states.clear();
  }

  /** The state of `name`, its slots created as zeros at the parameter's first gradient. */
  private stateFor(name: string, param: tf.Variable): ParamState {
    let state = this.states.get(name);
    if (state === undefined) {
      const slots = Object.fromEntries(Object.entries(this.rule.slotShapes(param))
        .map(([slot, shape]) => [slot, tf.tidy(() => tf.variable(tf.zeros([...shape]), false))]));
      state = { step: 0, slots };
      this.states.set(name, state);
    }
    return state;
  }
}
