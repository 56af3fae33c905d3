import { Linear } from '../layers/linear.js';
import type { Module } from '../layers/module.js';
import { assertDropoutRate } from '../ops/dropout.js';
import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { globSource, regExpTester } from './name-patterns.js';
import { namedModules } from './named-modules.js';

/**
 * Which Linear layers get an adapter, by module path. A string matches a path equal to it or
 * ending in `.` + it (PEFT's suffix rule), with `*` matching within a segment and `**` across
 * segments: `'qkv'`, `'attn.*'`, `'backbone.blocks.0.**'`. A RegExp is searched in the path. A
 * function decides from the path and the layer.
 *
 * @example
 * ```ts
 * const attentionOnly: LoRATarget[] = ['attn.qkv', 'attn.out'];
 * const lastBlock: LoRATarget = (path) => path.startsWith('backbone.blocks.1.');
 * ```
 */
export type LoRATarget = string | RegExp | ((path: string, layer: Linear) => boolean);

/**
 * Hyper-parameters of one LoRA adapter (Hu et al., https://arxiv.org/abs/2106.09685).
 *
 * @example
 * ```ts
 * const config: LoRAConfig = resolveLoRAConfig({ rank: 16, alpha: 32, dropout: 0.05, targetModules: ['attn.qkv', 'attn.out'] });
 * ```
 */
export interface LoRAConfig {
  /** Rank `r` of the update `B·A`. */
  readonly rank: number;
  /** `alpha`: the update is scaled by `alpha / rank` (or `alpha / sqrt(rank)` with `useRsLoRA`). */
  readonly alpha: number;
  /** Dropout on the input of the LoRA path, in [0, 1). */
  readonly dropout: number;
  /** Layers to adapt; empty = every Linear layer of the model (attention and MLP projections). */
  readonly targetModules: readonly LoRATarget[];
  /** Rank-stabilised scaling `alpha / sqrt(rank)` (https://arxiv.org/abs/2312.03732). */
  readonly useRsLoRA: boolean;
  /** Seed of the `A` init and of the dropout masks. */
  readonly seed: number;
}

/**
 * Input of {@link resolveLoRAConfig}: every field optional.
 *
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * lora.addAdapter('default', { rank: 4 } satisfies LoRAConfigInput);
 * ```
 */
export type LoRAConfigInput = Partial<LoRAConfig>;

/**
 * Defaults, those of PEFT's `LoraConfig` where it has one.
 *
 * @example
 * ```ts
 * LORA_CONFIG_DEFAULTS.rank; // 8
 * ```
 */
export const LORA_CONFIG_DEFAULTS: LoRAConfig = Object.freeze({
  rank: 8, // PEFT's r
  alpha: 8, // PEFT's lora_alpha: scaling 1 at the default rank
  dropout: 0, // PEFT's lora_dropout
  targetModules: Object.freeze([]) as readonly LoRATarget[], // all Linear layers: attention q/k/v/o and MLP
  useRsLoRA: false, // PEFT's use_rslora
  seed: 0,
});

/**
 * Fills defaults and validates a LoRA configuration.
 *
 * @param input - the fields to override
 * @returns a frozen configuration
 * @throws RangeArgumentError for a rank that is not a positive integer, a non-finite alpha or a
 *   dropout outside [0, 1)
 * @example
 * ```ts
 * resolveLoRAConfig({ rank: 4, alpha: 16 }).dropout; // 0
 * ```
 */
export function resolveLoRAConfig(input: LoRAConfigInput = {}): LoRAConfig {
  const config = { ...LORA_CONFIG_DEFAULTS, ...input };
  assert(Number.isInteger(config.rank) && config.rank > 0, RangeArgumentError, () => `LoRA rank (${config.rank}) must be a positive integer`);
  assert(Number.isFinite(config.alpha), RangeArgumentError, () => `LoRA alpha (${config.alpha}) must be finite`);
  assertDropoutRate(config.dropout, 'LoRA dropout');
  assert(Number.isInteger(config.seed), RangeArgumentError, () => `LoRA seed (${config.seed}) must be an integer`);
  return Object.freeze({ ...config, targetModules: Object.freeze([...config.targetModules]) });
}

/**
 * The factor on `B·A`: `alpha / rank`, or `alpha / sqrt(rank)` with `useRsLoRA`.
 *
 * @param config - a resolved configuration
 * @returns the scaling
 * @example
 * ```ts
 * loraScaling(resolveLoRAConfig({ rank: 4, alpha: 16 })); // 4
 * ```
 */
export function loraScaling(config: LoRAConfig): number {
  return config.alpha / (config.useRsLoRA ? Math.sqrt(config.rank) : config.rank);
}

/** A {@link LoRATarget} as a predicate on `(path, layer)`. */
function targetPredicate(target: LoRATarget): (path: string, layer: Linear) => boolean {
  if (typeof target === 'function') return target;
  if (target instanceof RegExp) {
    const test = regExpTester(target);
    return (path) => test(path);
  }
  const pattern = new RegExp(`(?:^|\\.)${globSource(target)}$`);
  return (path) => pattern.test(path);
}

/**
 * The Linear layers of `model` that `targets` select, by module path.
 *
 * @param model - the model to walk
 * @param targets - see {@link LoRATarget}; empty selects every Linear layer
 * @returns `[path, layer]` pairs in the model's order
 * @throws ConfigError naming each target that matches no Linear layer
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * findLoRATargets(model, ['qkv']).map(([p]) => p); // ['backbone.blocks.0.attn.qkv', 'backbone.blocks.1.attn.qkv']
 * ```
 */
export function findLoRATargets(model: Module, targets: readonly LoRATarget[]): Array<[string, Linear]> {
  const linears = namedModules(model).filter((entry): entry is [string, Linear] => entry[1] instanceof Linear);
  if (targets.length === 0) {
    assert(linears.length > 0, ConfigError, () => `${model.constructor.name} has no Linear layer to adapt`);
    return linears;
  }
  const predicates = targets.map(targetPredicate);
  const unused = targets.filter((_, i) => !linears.some(([path, layer]) => (predicates[i] as (p: string, l: Linear) => boolean)(path, layer)));
  assert(unused.length === 0, ConfigError, () => `LoRA target(s) ${unused.map(String).join(', ')} match no Linear layer ` +
    `(the Linear layers are ${linears.slice(0, 6).map(([p]) => p).join(', ')}${linears.length > 6 ? ', ...' : ''})`);
  return linears.filter(([path, layer]) => predicates.some((p) => p(path, layer)));
}
