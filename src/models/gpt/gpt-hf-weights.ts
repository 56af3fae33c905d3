import * as tf from '@tensorflow/tfjs-core';
import type { StateDict } from '../../layers/module.js';
import { assert } from '../../utils/assert.js';
import { ConfigError, StateDictError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { resolveGPTConfig, type GPTConfig } from './gpt-config.js';

/**
 * Our parameter names (relative to {@link GPTCausalLM}) for the Hugging Face `GPT2LMHeadModel`
 * names, per block `N`. HF's GPT-2 stores its projections as `Conv1D` with weights `[in, out]`,
 * the layout of our `Linear`, so no weight needs a transpose.
 */
const BLOCK_NAMES: ReadonlyArray<readonly [hf: string, ours: string]> = [
  ['ln_1.weight', 'ln1.weight'], ['ln_1.bias', 'ln1.bias'],
  ['attn.c_attn.weight', 'attn.qkv.weight'], ['attn.c_attn.bias', 'attn.qkv.bias'],
  ['attn.c_proj.weight', 'attn.out.weight'], ['attn.c_proj.bias', 'attn.out.bias'],
  ['ln_2.weight', 'ln2.weight'], ['ln_2.bias', 'ln2.bias'],
  ['mlp.c_fc.weight', 'mlp.fc.weight'], ['mlp.c_fc.bias', 'mlp.fc.bias'],
  ['mlp.c_proj.weight', 'mlp.out.weight'], ['mlp.c_proj.bias', 'mlp.out.bias'],
];
const TOP_NAMES: ReadonlyArray<readonly [hf: string, ours: string]> = [
  ['wte.weight', 'backbone.tokenEmbedding.weight'],
  ['wpe.weight', 'backbone.positionEmbedding.weight'],
  ['ln_f.weight', 'backbone.finalNorm.weight'],
  ['ln_f.bias', 'backbone.finalNorm.bias'],
];

/**
 * The full name table for a model of `numLayers` blocks: Hugging Face name → our name.
 * @example
 * ```ts
 * gpt2WeightNames(1).get('transformer.h.0.attn.c_attn.weight'); // 'backbone.blocks.0.attn.qkv.weight'
 * ```
 */
export function gpt2WeightNames(numLayers: number): Map<string, string> {
  const names = new Map(TOP_NAMES.map(([hf, ours]) => [`transformer.${hf}`, ours]));
  for (let i = 0; i < numLayers; i++) {
    for (const [hf, ours] of BLOCK_NAMES) names.set(`transformer.h.${i}.${hf}`, `backbone.blocks.${i}.${ours}`);
  }
  return names;
}

/**
 * Reads a Hugging Face GPT-2 `config.json` into a {@link GPTConfig}. wordforge has one dropout rate;
 * it is read from `resid_pdrop` (HF's default 0.1; `embd_pdrop` and `attn_pdrop` are equal to it in
 * every released GPT-2). A `seed` key (written by {@link gptConfigToHuggingFace}) is read too.
 * @throws ConfigError when the model is not GPT-2 or uses a variant wordforge's GPT does not implement
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const config = gptConfigFromHuggingFace(JSON.parse(readFileSync('gpt2/config.json', 'utf8')));
 * ```
 */
export function gptConfigFromHuggingFace(hf: Record<string, unknown>): GPTConfig {
  assert(hf !== null && typeof hf === 'object' && !Array.isArray(hf), ConfigError,
    () => `a GPT-2 config.json must hold an object, got ${describeJSON(hf)}`);
  assert(hf.model_type === 'gpt2', ConfigError, () => `config.json model_type is ${JSON.stringify(hf.model_type)}, expected "gpt2"`);
  const activation = hf.activation_function ?? 'gelu_new';
  assert(activation === 'gelu_new' || activation === 'gelu_pytorch_tanh', ConfigError,
    () => `activation_function ${describeJSON(activation)} is not supported (GPT-2 uses "gelu_new", the tanh approximation)`);
  for (const flag of ['scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn'] as const) {
    assert(hf[flag] !== true, ConfigError, () => `${flag}: true is not supported`);
  }
  assert(hf.scale_attn_weights !== false, ConfigError, () => 'scale_attn_weights: false is not supported');
  const hiddenSize = (hf.n_embd ?? 768) as number;
  return resolveGPTConfig({
    dropout: (hf.resid_pdrop ?? 0.1) as number,
    vocabSize: (hf.vocab_size ?? 50257) as number,
    contextLength: (hf.n_positions ?? 1024) as number,
    hiddenSize,
    numLayers: (hf.n_layer ?? 12) as number,
    numHeads: (hf.n_head ?? 12) as number,
    intermediateSize: (hf.n_inner ?? 4 * hiddenSize) as number,
    layerNormEps: (hf.layer_norm_epsilon ?? 1e-5) as number,
    initStd: (hf.initializer_range ?? 0.02) as number,
    ...(hf.seed === undefined ? {} : { seed: hf.seed as number }),
  });
}

/**
 * Renames a Hugging Face GPT-2 state dict to ours. Accepts the current names
 * (`transformer.h.0...`) and the older Hub form without the `transformer.` prefix; skips the
 * `attn.bias` / `attn.masked_bias` mask buffers older files carry and the `lm_head.weight` copy of
 * the tied embedding.
 * @param tensors - HF tensors by name (not disposed; the result shares them)
 * @throws StateDictError listing missing and unexpected keys
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const { tensors } = await loadSafetensors('gpt2/model.safetensors');
 * model.loadStateDict(gptStateDictFromHuggingFace(tensors, model.config.numLayers));
 * ```
 */
export function gptStateDictFromHuggingFace(tensors: Record<string, tf.Tensor>, numLayers: number): StateDict {
  const names = gpt2WeightNames(numLayers);
  const out: StateDict = {};
  const unexpected: string[] = [];
  for (const [key, tensor] of Object.entries(tensors)) {
    const full = key.startsWith('transformer.') || key.startsWith('lm_head.') ? key : `transformer.${key}`;
    if (/\.attn\.(masked_)?bias$/.test(full) || full === 'lm_head.weight') continue;
    const ours = names.get(full);
    if (ours === undefined) unexpected.push(key);
    else out[ours] = tensor;
  }
  const missing = [...names].filter(([, ours]) => !(ours in out)).map(([hf]) => hf);
  if (missing.length > 0 || unexpected.length > 0) {
    throw new StateDictError(`Hugging Face GPT-2 weights do not match a ${numLayers}-layer model:` +
      `${missing.length ? ` missing keys: ${missing.join(', ')};` : ''}${unexpected.length ? ` unexpected keys: ${unexpected.join(', ')}` : ''}`);
  }
  return out;
}

/**
 * The Hugging Face GPT-2 `config.json` of a {@link GPTConfig} (the inverse of
 * {@link gptConfigFromHuggingFace}), so that `GPT2LMHeadModel.from_pretrained` loads our folders.
 * @example
 * ```ts
 * gptConfigToHuggingFace(resolveGPTConfig({ vocabSize: 50257, hiddenSize: 768 })).n_embd; // 768
 * ```
 */
export function gptConfigToHuggingFace(config: GPTConfig): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_embd: config.hiddenSize,
    n_layer: config.numLayers,
    n_head: config.numHeads,
    n_inner: config.intermediateSize,
    activation_function: 'gelu_new',
    resid_pdrop: config.dropout,
    embd_pdrop: config.dropout,
    attn_pdrop: config.dropout,
    layer_norm_epsilon: config.layerNormEps,
    initializer_range: config.initStd,
    tie_word_embeddings: true,
    seed: config.seed, // ours (weight init and dropout); transformers keeps unknown keys as attributes
  };
}

/**
 * Renames our GPT state dict to Hugging Face's `GPT2LMHeadModel` names (the inverse of
 * {@link gptStateDictFromHuggingFace}); the tied head is not written, as `save_pretrained` leaves
 * it out too.
 * @param state - our tensors by name (not disposed; the result shares them)
 * @param numLayers - blocks in the model
 * @example
 * ```ts
 * const model = new GPTCausalLM({ vocabSize: 100, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8 });
 * const hf = gptStateDictToHuggingFace(model.stateDict(), model.config.numLayers);
 * Object.keys(hf)[0]; // 'transformer.wte.weight'
 * ```
 */
export function gptStateDictToHuggingFace(state: StateDict, numLayers: number): StateDict {
  const out: StateDict = {};
  for (const [hf, ours] of gpt2WeightNames(numLayers)) {
    const tensor = state[ours];
    if (tensor === undefined) throw new StateDictError(`the model has no parameter ${ours} (for ${hf})`);
    out[hf] = tensor;
  }
  return out;
}
