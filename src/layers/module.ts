import * as tf from '@tensorflow/tfjs-core';
import { loadSafetensors, saveSafetensors } from '../io/safetensors-file.js';
import { StateDictError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';

/** Parameters or tensors by dotted attribute path, e.g. `blocks.0.attn.qkv.weight`. */
export type StateDict = Record<string, tf.Tensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Fail on keys the module lacks or on parameters the dict lacks (default true). */
  readonly strict?: boolean;
}

/**
 * Base of everything that owns weights. Parameters are the `tf.Variable`s reachable through the
 * module's own properties: a property holding a Variable, a child Module, or an array of them.
 * Their names are the attribute paths (`blocks.0.attn.qkv.weight`), as in PyTorch, so checkpoint
 * keys follow from the code. A Variable reachable twice (tied weights) is listed once, under its
 * first path. Plain `tf.Tensor` properties are buffers: owned (disposed with the module) but not
 * saved.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   readonly weight = this.createParameter(() => tf.ones([4]));
 *   forward(x: tf.Tensor): tf.Tensor { return tf.mul(x, this.weight); }
 * }
 * const s = new Scale();
 * s.namedParameters().map(([name]) => name); // ['weight']
 * await s.saveWeights('scale.safetensors');
 * s.dispose();
 * ```
 */
export abstract class Module {
  /**
   * Creates a variable from `init()` without leaking the initial tensor.
   * @param init - builds the initial value (run inside `tf.tidy`)
   * @param trainable - whether optimizers update it
   */
  protected createParameter(init: () => tf.Tensor, trainable = true): tf.Variable {
    return tf.tidy(() => tf.variable(init(), trainable));
  }

  /**
   * Creates a variable drawn from normal(0, `std`), reproducibly from `seed` (any integer, 0
   * included: it is mapped through {@link Rng.nextSeed}, because tfjs takes a seed of 0 for "none").
   * @param shape - the parameter's shape
   */
  protected createNormalParameter(shape: number[], std: number, seed: number): tf.Variable {
    return this.createParameter(() => tf.randomNormal(shape, 0, std, 'float32', new Rng(seed).nextSeed()));
  }

  /** Every parameter with its attribute path, in declaration order, tied weights once. */
  namedParameters(): Array<[string, tf.Variable]> {
    const seen = new Set<tf.Variable>();
    const out: Array<[string, tf.Variable]> = [];
    this.visit('', (path, value) => {
      if (value instanceof tf.Variable && !seen.has(value)) {
        seen.add(value);
        out.push([path, value]);
      }
    });
    return out;
  }

  /** Every parameter, tied weights once. */
  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** The parameters an optimizer should update (those whose `trainable` flag is set). */
  trainableVariables(): tf.Variable[] {
    return this.parameters().filter((v) => v.trainable);
  }

  /** Total number of scalar parameters (tied weights counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, v) => n + v.size, 0);
  }

  /** Freezes (`false`) or unfreezes (`true`) every parameter of this module and its children. */
  setTrainable(trainable: boolean): void {
    for (const v of this.parameters()) v.trainable = trainable;
  }

  /** The parameters by attribute path. The tensors are the live variables: do not dispose them. */
  stateDict(): StateDict {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies `state` into the parameters. Every problem (missing keys, unexpected keys, wrong
   * shapes) is checked and reported together before anything is assigned, so a failed load leaves
   * the module unchanged. Values of another float dtype are cast.
   * @param state - tensors by attribute path; the caller keeps ownership
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): void {
    loadNamedParameters(this.namedParameters(), state, this.constructor.name, options);
  }


  /**
   * Writes the parameters to a safetensors file (atomically), keys = attribute paths.
   * @param path - file to write, e.g. `model.safetensors`
   * @param metadata - extra `__metadata__` strings stored in the header
   */
  async saveWeights(path: string, metadata?: Record<string, string>): Promise<void> {
    await saveSafetensors(path, this.stateDict(), metadata);
  }

  /**
   * Loads parameters from a safetensors file written by {@link Module.saveWeights} (or any file
   * with the same keys). Nothing is assigned unless every key and shape matches; the file's
   * tensors are freed either way.
   * @throws SafetensorsError for an unreadable or corrupt file, StateDictError for mismatched keys or shapes
   */
  async loadWeights(path: string, options: LoadStateDictOptions = {}): Promise<void> {
    const { tensors } = await loadSafetensors(path);
    try {
      this.loadStateDict(tensors, options);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /**
   * Random-generator states of the stateful sub-modules (those with `getState`/`setState`, such
   * as `Dropout`), by attribute path: JSON-serialisable, for checkpoints that resume exactly.
   */
  getRandomState(): Record<string, unknown> {
    return Object.fromEntries(this.statefulModules().map(([path, m]) => [path, m.getState()]));
  }

  /**
   * Restores states taken by {@link Module.getRandomState}.
   * @throws StateDictError when the paths differ from this module's stateful sub-modules
   */
  setRandomState(state: Record<string, unknown>): void {
    const own = this.statefulModules();
    const names = own.map(([path]) => path);
    const given = Object.keys(state);
    if (names.length !== given.length || names.some((n) => !(n in state))) {
      throw new StateDictError(`random state keys [${given.join(', ')}] do not match this ${this.constructor.name}'s [${names.join(', ')}]`);
    }
    for (const [path, m] of own) m.setState(state[path]);
  }

  /** Sub-modules (this one included, path '') that carry generator state. */
  private statefulModules(): Array<[string, Module & { getState(): unknown; setState(s: unknown): void }]> {
    const out: Array<[string, Module & { getState(): unknown; setState(s: unknown): void }]> = [];
    const walk = (path: string, value: unknown): void => {
      if (value instanceof Module) {
        const m = value as Module & Partial<{ getState(): unknown; setState(s: unknown): void }>;
        if (typeof m.getState === 'function' && typeof m.setState === 'function') out.push([path, m as Module & { getState(): unknown; setState(s: unknown): void }]);
        for (const [key, child] of Object.entries(value)) walk(path ? `${path}.${key}` : key, child);
      } else if (Array.isArray(value)) value.forEach((item, i) => walk(`${path}.${i}`, item));
    };
    walk('', this);
    return out;
  }

  /** Disposes every parameter and buffer of this module and its children. */
  dispose(): void {
    const seen = new Set<tf.Tensor>();
    this.visit('', (_, value) => {
      if (!seen.has(value)) {
        seen.add(value);
        value.dispose();
      }
    });
  }

  /** Walks own properties depth-first, calling `fn` on each tensor with its attribute path. */
  private visit(prefix: string, fn: (path: string, value: tf.Tensor) => void): void {
    const walk = (path: string, value: unknown): void => {
      if (value instanceof tf.Tensor) fn(path, value);
      else if (value instanceof Module) value.visit(`${path}.`, fn);
      else if (Array.isArray(value)) value.forEach((item, i) => walk(`${path}.${i}`, item));
    };
    for (const [key, value] of Object.entries(this)) walk(`${prefix}${key}`, value);
  }
}

/**
 * Copies `state` into named parameters, all or nothing: missing keys, unexpected keys and wrong
 * shapes are all checked and reported together before anything is assigned. Values of another
 * float dtype are cast. {@link Module.loadStateDict} and checkpoint resumption use it.
 * @param params - the parameters by name (e.g. `model.namedParameters()`)
 * @param state - tensors by name; the caller keeps ownership
 * @param owner - what the parameters belong to, for the message
 * @throws StateDictError listing every problem
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const checkpoint = await readCheckpoint('runs/gpt/checkpoint-400');
 * loadNamedParameters(model.namedParameters(), checkpoint.weights, 'checkpoint-400');
 * ```
 */
export function loadNamedParameters(
  params: ReadonlyArray<readonly [string, tf.Variable]>,
  state: StateDict,
  owner: string,
  options: LoadStateDictOptions = {},
): void {
  const strict = options.strict ?? true;
  const own = new Map(params);
  const problems: string[] = [];
  const missing = [...own.keys()].filter((k) => !(k in state));
  const unexpected = Object.keys(state).filter((k) => !own.has(k));
  if (strict && missing.length > 0) problems.push(`missing keys: ${missing.join(', ')}`);
  if (strict && unexpected.length > 0) problems.push(`unexpected keys: ${unexpected.join(', ')}`);
  for (const [name, v] of own) {
    const t = state[name];
    if (t && !tf.util.arraysEqual(t.shape, v.shape)) {
      problems.push(`${name}: shape [${t.shape}] does not match parameter shape [${v.shape}]`);
    }
  }
  if (problems.length > 0) {
    throw new StateDictError(`cannot load state dict into ${owner}: ${problems.join('; ')}`);
  }
  tf.tidy(() => {
    for (const [name, v] of own) {
      const t = state[name];
      if (t) v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype));
    }
  });
}
