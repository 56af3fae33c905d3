import * as tf from '@tensorflow/tfjs-core';
import type { Linear } from '../layers/linear.js';
import type { Module } from '../layers/module.js';
import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { findLoRATargets, resolveLoRAConfig, type LoRAConfig, type LoRAConfigInput } from './lora-config.js';
import { LoRALayer } from './lora-layer.js';

/**
 * A model that computes a loss from batches of type `Batch`, as the Trainer sees it.
 *
 * @example
 * ```ts
 * declare const gptCausalLM: GPTCausalLM;
 * const lossModel: LossModel<CausalLMBatch> = gptCausalLM;
 * ```
 */
export interface LossModel<Batch> {
  /** Mean loss of one batch as a scalar the caller disposes. */
  computeLoss(batch: Batch, training: boolean): tf.Scalar;
}

/**
 * The batch type of a model's `computeLoss(batch, training)` (`never` when it has none).
 *
 * @example
 * ```ts
 * type Batch = BatchOf<GPTCausalLM>; // CausalLMBatch
 * ```
 */
export type BatchOf<M> = M extends LossModel<infer B> ? B : never;

/**
 * One named adapter: its configuration and its layers by the adapted Linear's module path.
 *
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * const { config, layers } = lora.adapter('default');
 * layers.get('backbone.blocks.0.attn.qkv')?.loraA.shape; // [64, config.rank]
 * ```
 */
export interface LoRAAdapter {
  /** The resolved configuration. */
  readonly config: LoRAConfig;
  /** The low-rank layers, by module path of the Linear each adapts (e.g. `backbone.blocks.0.attn.qkv`). */
  readonly layers: ReadonlyMap<string, LoRALayer>;
}

/**
 * LoRA fine-tuning around any `Module` (PEFT's `PeftModel`): adapters hook into the chosen Linear
 * layers through `Linear.adapter`, so the base keeps its parameter names (its `save()` and
 * Hugging Face export still work) and its own forward passes run with the active adapter. Adding an
 * adapter freezes every base parameter; {@link LoRAModel.namedParameters} lists the base's and the
 * adapters', so the Trainer and the optimizers train exactly the active adapter (plus whatever the
 * caller unfreezes, e.g. a new head). Several named adapters can share one base; one is active.
 *
 * @example
 * ```ts
 * declare const train: BatchSource<CausalLMBatch>;
 * const base = await GPTCausalLM.fromHuggingFace('gpt2');
 * const lora = new LoRAModel(base);
 * lora.addAdapter('poems', { rank: 8, alpha: 16, dropout: 0.05 });
 * const trainer = new Trainer({ model: lora, train, maxSteps: 200, optimizer: new AdamW(lora.namedParameters(), { learningRate: 1e-3 }) });
 * lora.merge(); // fold B·A into the weights for inference
 * ```
 */
export class LoRAModel<M extends Module = Module> {
  private readonly adapters = new Map<string, { config: LoRAConfig; layers: Map<string, LoRALayer> }>();
  private readonly hooked = new Map<string, Linear>();
  private active: string | undefined;
  private enabled = true;
  private mergedName: string | undefined;
  private training = false;

  /** @param base - the model to adapt; not owned (dispose it yourself) */
  constructor(readonly base: M) {}

  /** Names of the adapters, in the order they were added. */
  get adapterNames(): string[] {
    return [...this.adapters.keys()];
  }

  /** The active adapter's name, or undefined when there is none. */
  get activeAdapter(): string | undefined {
    return this.active;
  }

  /** The adapter merged into the base weights, or undefined. */
  get mergedAdapter(): string | undefined {
    return this.mergedName;
  }

  /** Whether the active adapter takes part in forward passes (see {@link LoRAModel.disableAdapters}). */
  get adaptersEnabled(): boolean {
    return this.enabled;
  }

  /**
   * Adds an adapter on the Linear layers its `targetModules` select (all of them by default). The
   * first adapter freezes every base parameter (unfreeze a new head afterwards to train it too)
   * and becomes active; later ones are added inactive (and frozen) until {@link LoRAModel.setAdapter}.
   * @param name - a new adapter name, e.g. `default`
   * @param config - rank, alpha, dropout, targets, seed
   * @returns the adapter
   * @throws ConfigError for a name in use or a target that matches no Linear; RangeArgumentError for bad numbers
   */
  addAdapter(name: string, config: LoRAConfigInput = {}): LoRAAdapter {
    assert(name.length > 0 && !name.includes('.'), ConfigError, () => `adapter name ${JSON.stringify(name)} must be non-empty and contain no '.'`);
    assert(!this.adapters.has(name), ConfigError, () => `an adapter named ${JSON.stringify(name)} already exists`);
    const resolved = resolveLoRAConfig(config);
    const targets = findLoRATargets(this.base, resolved.targetModules);
    const layers = new Map(targets.map(([path, linear], i) =>
      [path, new LoRALayer(linear.inFeatures, linear.outFeatures, resolved, resolved.seed * 7919 + i)] as const));
    if (this.adapters.size === 0) this.base.setTrainable(false); // later adapters keep what the caller unfroze since
    this.adapters.set(name, { config: resolved, layers });
    for (const [path, linear] of targets) this.hook(path, linear);
    if (this.active === undefined) this.active = name;
    this.updateTrainable();
    return this.adapter(name);
  }

  /**
   * The adapter named `name`.
   * @throws ConfigError when there is no such adapter
   */
  adapter(name: string): LoRAAdapter {
    const found = this.adapters.get(name);
    assert(found !== undefined, ConfigError, () => `no adapter named ${JSON.stringify(name)} (adapters: ${this.describeNames()})`);
    return found;
  }

  /**
   * Makes `name` the active adapter: the one forward passes use and the only one left trainable.
   * @throws ConfigError for an unknown name or while an adapter is merged
   */
  setAdapter(name: string): void {
    this.adapter(name);
    this.assertUnmerged('switch adapters');
    this.active = name;
    this.updateTrainable();
  }

  /** Runs the base alone (as PEFT's `disable_adapter()`), until {@link LoRAModel.enableAdapters}. */
  disableAdapters(): void {
    this.enabled = false;
  }

  /** Undoes {@link LoRAModel.disableAdapters}. */
  enableAdapters(): void {
    this.enabled = true;
  }

  /**
   * Removes an adapter and frees its weights; another adapter becomes active if it was.
   * @throws ConfigError for an unknown name or while an adapter is merged
   */
  deleteAdapter(name: string): void {
    const { layers } = this.adapter(name);
    this.assertUnmerged('delete an adapter');
    for (const layer of layers.values()) layer.dispose();
    this.adapters.delete(name);
    for (const [path, linear] of this.hooked) {
      if (![...this.adapters.values()].some((a) => a.layers.has(path))) {
        linear.adapter = undefined;
        this.hooked.delete(path);
      }
    }
    if (this.active === name) this.active = this.adapters.keys().next().value;
    this.updateTrainable();
  }

  /**
   * Folds the active adapter into the base weights (`W += A·B·scaling`), so inference costs nothing
   * extra; the hook is bypassed while merged. {@link LoRAModel.unmerge} subtracts it again (equal up
   * to float rounding, as in PEFT).
   * @throws ConfigError when there is no active adapter or one is already merged
   */
  merge(): void {
    this.assertUnmerged('merge');
    const name = this.active;
    assert(name !== undefined, ConfigError, () => 'there is no adapter to merge');
    this.applyDelta(name, 1);
    this.mergedName = name;
  }

  /**
   * Subtracts the merged adapter from the base weights.
   * @throws ConfigError when no adapter is merged
   */
  unmerge(): void {
    const name = this.mergedName;
    assert(name !== undefined, ConfigError, () => 'no adapter is merged');
    this.applyDelta(name, -1);
    this.mergedName = undefined;
  }

  /**
   * Merges the active adapter (unless one is merged already), then removes every adapter and hook
   * (PEFT's `merge_and_unload`): the base is left a plain model with the adapted weights.
   * @returns the base model
   */
  mergeAndUnload(): M {
    if (this.mergedName === undefined) this.merge();
    this.mergedName = undefined;
    this.dispose();
    return this.base;
  }

  /**
   * The base's parameters (under their own names) followed by every adapter's, named
   * `${linearPath}.loraA.${adapter}` and `${linearPath}.loraB.${adapter}`. Only the active
   * adapter's are trainable (and whatever base parameters the caller unfroze).
   */
  namedParameters(): Array<[string, tf.Variable]> {
    const out = this.base.namedParameters();
    for (const [name, { layers }] of this.adapters) {
      for (const [path, layer] of layers) {
        out.push([`${path}.loraA.${name}`, layer.loraA], [`${path}.loraB.${name}`, layer.loraB]);
      }
    }
    return out;
  }

  /**
   * The base's loss with the active adapter, LoRA dropout on when `training`.
   * @throws ConfigError when the base has no `computeLoss`, or when training while an adapter is merged
   */
  computeLoss(batch: BatchOf<M>, training: boolean): tf.Scalar {
    const base = this.base as unknown as Partial<{ computeLoss(batch: BatchOf<M>, training: boolean): tf.Scalar }>;
    assert(typeof base.computeLoss === 'function', ConfigError, () => `${this.base.constructor.name} has no computeLoss`);
    if (training) this.assertUnmerged('train');
    this.training = training;
    try {
      return base.computeLoss(batch, training);
    } finally {
      this.training = false;
    }
  }

  /** The base's generator states plus each adapter's dropout state (`lora.${adapter}.${path}`). */
  getRandomState(): Record<string, unknown> {
    const state = this.base.getRandomState();
    for (const [name, { layers }] of this.adapters) {
      for (const [path, layer] of layers) state[`lora.${name}.${path}`] = layer.dropout.getState();
    }
    return state;
  }

  /**
   * Restores {@link LoRAModel.getRandomState}'s result.
   * @throws StateDictError when the keys do not match
   */
  setRandomState(state: Record<string, unknown>): void {
    const own = Object.fromEntries(Object.entries(state).filter(([key]) => !key.startsWith('lora.')));
    this.base.setRandomState(own);
    for (const [name, { layers }] of this.adapters) {
      for (const [path, layer] of layers) {
        const saved = state[`lora.${name}.${path}`];
        if (saved !== undefined) layer.dropout.setState(saved as Parameters<typeof layer.dropout.setState>[0]);
      }
    }
  }

  /** The base's checkpoint files (e.g. its `config.json`), when it has any. */
  checkpointFiles(): Record<string, string> {
    const base = this.base as unknown as Partial<{ checkpointFiles(): Record<string, string> }>;
    return typeof base.checkpointFiles === 'function' ? base.checkpointFiles() : {};
  }

  /** Removes every hook and frees every adapter's weights; the base is left as it is (merged or not). */
  dispose(): void {
    for (const linear of this.hooked.values()) linear.adapter = undefined;
    this.hooked.clear();
    for (const { layers } of this.adapters.values()) for (const layer of layers.values()) layer.dispose();
    this.adapters.clear();
    this.active = undefined;
  }

  /** Installs the forward hook on one Linear (once, shared by every adapter on it). */
  private hook(path: string, linear: Linear): void {
    if (this.hooked.has(path)) return;
    assert(linear.adapter === undefined, ConfigError, () => `the Linear at ${path} already has an adapter hook (another LoRAModel?)`);
    linear.adapter = (x) => {
      if (!this.enabled || this.mergedName !== undefined || this.active === undefined) return null;
      const layer = this.adapters.get(this.active)?.layers.get(path);
      return layer ? layer.forward(x, this.training) : null;
    };
    this.hooked.set(path, linear);
  }

  /** `W += sign · A·B·scaling` for every layer of adapter `name`. */
  private applyDelta(name: string, sign: 1 | -1): void {
    tf.tidy(() => {
      for (const [path, layer] of this.adapter(name).layers) {
        const weight = (this.hooked.get(path) as Linear).weight;
        const delta = layer.delta();
        weight.assign(sign > 0 ? tf.add(weight, delta) : tf.sub(weight, delta));
      }
    });
  }

  /** Only the active adapter's weights are trainable. */
  private updateTrainable(): void {
    for (const [name, { layers }] of this.adapters) for (const layer of layers.values()) layer.setTrainable(name === this.active);
  }

  private assertUnmerged(action: string): void {
    assert(this.mergedName === undefined, ConfigError,
      () => `cannot ${action} while adapter ${JSON.stringify(this.mergedName)} is merged: call unmerge() first`);
  }

  private describeNames(): string {
    return this.adapters.size === 0 ? 'none' : [...this.adapters.keys()].map((n) => JSON.stringify(n)).join(', ');
  }
}
