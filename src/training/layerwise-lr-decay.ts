import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { ParamGroup } from './param-groups.js';

/**
 * Options of {@link layerwiseLrDecayGroups}.
 *
 * @example
 * ```ts
 * const options: LayerwiseLrDecayOptions = { decay: 0.75, numLayers: 12, newParameters: (name) => name.startsWith('head.'), newParametersLearningRateScale: 10 };
 * ```
 */
export interface LayerwiseLrDecayOptions {
  /** Factor per layer going down, in (0, 1]: layer `l` trains at `decay^(numLayers + 1 - l)` of the rate. */
  readonly decay: number;
  /** Number of Transformer blocks. */
  readonly numLayers: number;
  /**
   * Layer of a parameter: 0 for the embeddings, `i + 1` for block `i`, `numLayers + 1` for what
   * sits above the blocks (final norm, head). Default: block index after a `blocks`, `layers`,
   * `layer`, `block` or `h` segment; 0 for embedding tables (a segment `wte`/`wpe`/`emb` or
   * containing `embed`); `numLayers + 1` otherwise.
   */
  readonly layerOf?: (name: string) => number;
  /** New parameters (e.g. a freshly initialised classification head) that get their own factor. */
  readonly newParameters?: (name: string, variable: tf.Variable) => boolean;
  /** Factor on the learning rate of `newParameters` (default 1; 10 is common for new heads). */
  readonly newParametersLearningRateScale?: number;
}

const BLOCK_INDEX = /(?:^|\.)(?:blocks|layers|layer|block|h)\.(\d+)\./;
const EMBEDDING_SEGMENT = /^(wte|wpe|emb)$|embed/i;

/**
 * The default {@link LayerwiseLrDecayOptions.layerOf}: 0 for embeddings, block index + 1 inside
 * the blocks, `numLayers + 1` above them.
 *
 * @param name - a parameter name
 * @param numLayers - number of blocks
 * @returns the layer id in `[0, numLayers + 1]`
 * @example
 * ```ts
 * defaultLayerOf('backbone.tokenEmbedding.weight', 12);      // 0
 * defaultLayerOf('backbone.blocks.3.attn.qkv.weight', 12);   // 4
 * defaultLayerOf('backbone.finalNorm.weight', 12);           // 13
 * ```
 */
export function defaultLayerOf(name: string, numLayers: number): number {
  const block = BLOCK_INDEX.exec(name);
  if (block) return Number(block[1]) + 1;
  return name.split('.').some((segment) => EMBEDDING_SEGMENT.test(segment)) ? 0 : numLayers + 1;
}

/**
 * Parameter groups for layer-wise learning-rate decay (ELECTRA, https://arxiv.org/abs/2003.10555;
 * BEiT): the top of the network trains at the optimizer's rate and each layer below at `decay`
 * times the one above, so pretrained low layers move least. New parameters (a fresh head) can
 * get their own factor. Pass the result as the optimizer's `groups`; weight decay keeps the
 * optimizer's default rule.
 *
 * @param params - named parameters, e.g. `model.namedParameters()`
 * @param options - decay, number of blocks, layer assignment, new-parameter factor
 * @returns one group per distinct factor
 * @throws RangeArgumentError for a decay outside (0, 1], a bad `numLayers`, a negative or
 *   non-finite new-parameter factor, or a layer id outside `[0, numLayers + 1]`
 * @example
 * ```ts
 * declare const model: BertForSequenceClassification;
 * const groups = layerwiseLrDecayGroups(model.namedParameters(), {
 *   decay: 0.8, numLayers: 12, newParameters: (name) => name.startsWith('head.'), newParametersLearningRateScale: 10,
 * });
 * const optimizer = new AdamW(model.namedParameters(), { learningRate: 2e-5, groups });
 * ```
 */
export function layerwiseLrDecayGroups(
  params: ReadonlyArray<readonly [string, tf.Variable]>,
  options: LayerwiseLrDecayOptions,
): ParamGroup[] {
  const { decay, numLayers } = options;
  assert(Number.isFinite(decay) && decay > 0 && decay <= 1, RangeArgumentError, () => `decay (${decay}) must be in (0, 1]`);
  assert(Number.isInteger(numLayers) && numLayers >= 0, RangeArgumentError, () => `numLayers (${numLayers}) must be a non-negative integer`);
  const newScale = options.newParametersLearningRateScale ?? 1;
  assert(Number.isFinite(newScale) && newScale >= 0, RangeArgumentError,
    () => `newParametersLearningRateScale (${newScale}) must be finite and >= 0`);
  const layerOf = options.layerOf ?? ((name: string) => defaultLayerOf(name, numLayers));
  const byScale = new Map<number, Set<string>>();
  for (const [name, variable] of params) {
    let scale: number;
    if (options.newParameters?.(name, variable)) scale = newScale;
    else {
      const layer = layerOf(name);
      assert(Number.isInteger(layer) && layer >= 0 && layer <= numLayers + 1, RangeArgumentError,
        () => `layerOf('${name}') returned ${layer}, outside [0, ${numLayers + 1}]`);
      scale = decay ** (numLayers + 1 - layer);
    }
    const names = byScale.get(scale) ?? new Set<string>();
    names.add(name);
    byScale.set(scale, names);
  }
  return [...byScale].map(([learningRateScale, names]) => ({ match: (name: string) => names.has(name), learningRateScale }));
}
