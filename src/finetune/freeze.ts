import { Embedding } from '../layers/embedding.js';
import { LearnedPositionEmbedding } from '../layers/learned-position-embedding.js';
import type { Module } from '../layers/module.js';
import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { namedModules } from './named-modules.js';
import { selectParameters, type NamedParameterOwner, type ParameterSelector } from './parameter-selector.js';

/**
 * Freezes the selected parameters (`trainable = false`): optimizers and the Trainer skip them, so
 * they stay bitwise unchanged.
 *
 * @param model - the parameters' owner
 * @param selectors - see {@link ParameterSelector}
 * @returns the names frozen
 * @throws ConfigError when a selector matches no parameter
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * freeze(model, ['backbone.tokenEmbedding', 'backbone.positionEmbedding']);
 * ```
 */
export function freeze(model: NamedParameterOwner, selectors: ParameterSelector | readonly ParameterSelector[]): string[] {
  return setSelected(model, selectors, false);
}

/**
 * Unfreezes the selected parameters (`trainable = true`).
 *
 * @param model - the parameters' owner
 * @param selectors - see {@link ParameterSelector}
 * @returns the names unfrozen
 * @throws ConfigError when a selector matches no parameter
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * unfreeze(model, 'backbone.blocks.1');
 * ```
 */
export function unfreeze(model: NamedParameterOwner, selectors: ParameterSelector | readonly ParameterSelector[]): string[] {
  return setSelected(model, selectors, true);
}

/**
 * Freezes every parameter except the selected ones, which are made trainable (e.g. train only
 * the head, or only the last block and the final norm).
 *
 * @param model - the parameters' owner
 * @param selectors - what stays trainable
 * @returns the names left trainable
 * @throws ConfigError when a selector matches no parameter
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * freezeAllBut(model, ['backbone.blocks.1', 'backbone.finalNorm']);
 * ```
 */
export function freezeAllBut(model: NamedParameterOwner, selectors: ParameterSelector | readonly ParameterSelector[]): string[] {
  const keep = new Set(selectParameters(model, selectors).map(([name]) => name));
  for (const [name, v] of model.namedParameters()) v.trainable = keep.has(name);
  return [...keep];
}

/**
 * Freezes the parameters of every embedding layer (`Embedding`, `LearnedPositionEmbedding`),
 * found by class, whatever the model calls them. A tied output head is frozen with its table.
 *
 * @param model - the model to walk
 * @returns the names frozen
 * @throws ConfigError when the model has no embedding layer
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * freezeEmbeddings(model); // ['backbone.tokenEmbedding.weight', 'backbone.positionEmbedding.weight']
 * ```
 */
export function freezeEmbeddings(model: Module): string[] {
  const paths = namedModules(model)
    .filter(([, m]) => m instanceof Embedding || m instanceof LearnedPositionEmbedding)
    .map(([path]) => path);
  assert(paths.length > 0, ConfigError, () => `${model.constructor.name} has no Embedding or LearnedPositionEmbedding layer`);
  return freeze(model, paths);
}

/**
 * Options of {@link freezeFirstBlocks}.
 *
 * @example
 * ```ts
 * declare const model: BertModel;
 * const layerIndex = (name: string) => { const m = /^encoder\.layer\.(\d+)\./.exec(name); return m ? Number(m[1]) : undefined; };
 * freezeFirstBlocks(model, 6, { blockIndexOf: layerIndex });
 * ```
 */
export interface FreezeBlocksOptions {
  /**
   * The block index of a parameter, or undefined for parameters outside the blocks. Default: the
   * number after a `blocks`, `layers`, `layer`, `block` or `h` segment (`backbone.blocks.3.attn...` -> 3).
   */
  readonly blockIndexOf?: (name: string) => number | undefined;
}

/**
 * The block index of a parameter name by the common conventions (`blocks.N.`, `layers.N.`,
 * `layer.N.`, `block.N.`, `h.N.`), or undefined outside the blocks.
 *
 * @param name - a parameter's attribute path
 * @returns the index, or undefined
 * @example
 * ```ts
 * defaultBlockIndex('backbone.blocks.3.attn.qkv.weight'); // 3
 * defaultBlockIndex('backbone.finalNorm.weight');          // undefined
 * ```
 */
export function defaultBlockIndex(name: string): number | undefined {
  const match = /(?:^|\.)(?:blocks|layers|layer|block|h)\.(\d+)\./.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Freezes the first `count` blocks (block index < count), the usual "train only the top layers".
 * Combine with {@link freezeEmbeddings} to freeze the bottom of the network entirely.
 *
 * @param model - the parameters' owner
 * @param count - how many blocks, from the bottom, to freeze (0 freezes nothing)
 * @returns the names frozen
 * @throws RangeArgumentError when `count` is not an integer in [0, number of blocks]
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * freezeFirstBlocks(model, 10); // of 12: train blocks 10 and 11 (and what lies outside the blocks)
 * ```
 */
export function freezeFirstBlocks(model: NamedParameterOwner, count: number, options: FreezeBlocksOptions = {}): string[] {
  const indexOf = options.blockIndexOf ?? defaultBlockIndex;
  const params = model.namedParameters().map(([name, v]) => [name, v, indexOf(name)] as const);
  const numBlocks = Math.max(0, ...params.map(([, , i]) => (i === undefined ? -1 : i + 1)));
  assert(Number.isInteger(count) && count >= 0 && count <= numBlocks, RangeArgumentError,
    () => `count (${count}) must be an integer in [0, ${numBlocks}] (the model's number of blocks)`);
  const frozen = params.filter(([, , i]) => i !== undefined && i < count);
  for (const [, v] of frozen) v.trainable = false;
  return frozen.map(([name]) => name);
}

/**
 * Result of {@link countParameters}: numbers of scalar parameters.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const { total, trainable, frozen }: ParameterCounts = countParameters(model);
 * ```
 */
export interface ParameterCounts {
  /** Every parameter (tied weights once). */
  readonly total: number;
  /** Those an optimizer updates. */
  readonly trainable: number;
  /** Those it skips (`total - trainable`). */
  readonly frozen: number;
}

/**
 * Counts scalar parameters: total, trainable and frozen (tied weights once).
 *
 * @param model - the parameters' owner (a Module, or a {@link LoRAModel} to count its adapters)
 * @returns the counts
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * const { total, trainable } = countParameters(lora);
 * const percentTrainable = (100 * trainable) / total; // e.g. 0.24 with LoRA on a GPT-2
 * ```
 */
export function countParameters(model: NamedParameterOwner): ParameterCounts {
  let total = 0;
  let trainable = 0;
  for (const [, v] of model.namedParameters()) {
    total += v.size;
    if (v.trainable) trainable += v.size;
  }
  return { total, trainable, frozen: total - trainable };
}

/** Sets the flag of the selected parameters and returns their names. */
function setSelected(model: NamedParameterOwner, selectors: ParameterSelector | readonly ParameterSelector[], trainable: boolean): string[] {
  const selected = selectParameters(model, selectors);
  for (const [, v] of selected) v.trainable = trainable;
  return selected.map(([name]) => name);
}
