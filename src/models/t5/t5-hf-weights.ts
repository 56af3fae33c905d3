import * as tf from '@tensorflow/tfjs-core';
import type { StateDict } from '../../layers/module.js';
import type { ActivationName } from '../../ops/activations.js';
import { assert } from '../../utils/assert.js';
import { ConfigError, StateDictError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { resolveT5Config, type T5Config } from './t5-config.js';

/** Which model a T5 name table describes. */
export interface T5WeightNameOptions {
  /**
   * Encoder only (Hugging Face `T5EncoderModel`, our {@link T5EncoderModel}): `shared.weight` and
   * `encoder.*`, our names without the `backbone.` prefix (default false: `T5ForConditionalGeneration`).
   */
  readonly encoderOnly?: boolean;
}

/** One row of the name table: our name, the HF shape, and whether the tensor is a transposed `nn.Linear` weight. */
export interface T5WeightName {
  /** Our parameter name, relative to {@link T5Seq2SeqLM} (or {@link T5EncoderModel}). */
  readonly ours: string;
  /** HF `nn.Linear` weights are `[out, in]`, ours `[in, out]`. */
  readonly transpose: boolean;
  /** The tensor's shape in the Hugging Face checkpoint. */
  readonly shape: readonly number[];
}

const ATTENTION: ReadonlyArray<readonly [hf: string, ours: string]> = [['q', 'query'], ['k', 'key'], ['v', 'value'], ['o', 'out']];

/**
 * The full name table of a T5 model: Hugging Face `T5ForConditionalGeneration` (or, with
 * `encoderOnly`, `T5EncoderModel`) name → ours. `shared.weight` is the tied embedding;
 * `lm_head.weight` is listed only for an untied head.
 * @example
 * ```ts
 * declare const config: T5Config;
 * t5WeightNames(config).get('encoder.block.0.layer.0.SelfAttention.q.weight');
 * // { ours: 'backbone.encoder.blocks.0.attn.query.weight', transpose: true, shape: [512, 512] }
 * ```
 */
export function t5WeightNames(config: T5Config, options: T5WeightNameOptions = {}): Map<string, T5WeightName> {
  const encoderOnly = options.encoderOnly ?? false;
  const names = new Map<string, T5WeightName>();
  const { hiddenSize: d, intermediateSize: f, vocabSize: v } = config;
  const inner = config.numHeads * config.headDim;
  const add = (hf: string, ours: string, shape: readonly number[], transpose = true): void => {
    names.set(hf, { ours: encoderOnly ? ours.replace(/^backbone\./, '') : ours, transpose, shape });
  };
  add('shared.weight', 'backbone.shared.weight', [v, d], false);
  if (!config.tieWordEmbeddings && !encoderOnly) add('lm_head.weight', 'lmHead.weight', [v, d]);
  for (const stack of encoderOnly ? ['encoder'] as const : ['encoder', 'decoder'] as const) {
    const ours = `backbone.${stack}`;
    const layers = stack === 'encoder' ? config.numLayers : config.numDecoderLayers;
    add(`${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`, `${ours}.relativeBias.weight`,
      [config.relativeAttentionNumBuckets, config.numHeads], false);
    add(`${stack}.final_layer_norm.weight`, `${ours}.finalNorm.weight`, [d], false);
    for (let i = 0; i < layers; i++) {
      const hf = `${stack}.block.${i}.layer`;
      const block = `${ours}.blocks.${i}`;
      const attention = (hfName: string, ourName: string): void => {
        for (const [h, o] of ATTENTION) add(`${hfName}.${h}.weight`, `${ourName}.${o}.weight`, h === 'o' ? [d, inner] : [inner, d]);
      };
      attention(`${hf}.0.SelfAttention`, `${block}.attn`);
      add(`${hf}.0.layer_norm.weight`, `${block}.ln1.weight`, [d], false);
      if (stack === 'decoder') {
        attention(`${hf}.1.EncDecAttention`, `${block}.crossAttn`);
        add(`${hf}.1.layer_norm.weight`, `${block}.lnCross.weight`, [d], false);
      }
      const ff = `${hf}.${stack === 'decoder' ? 2 : 1}`;
      if (config.gatedFeedForward) {
        add(`${ff}.DenseReluDense.wi_0.weight`, `${block}.mlp.gate.weight`, [f, d]);
        add(`${ff}.DenseReluDense.wi_1.weight`, `${block}.mlp.fc.weight`, [f, d]);
      } else {
        add(`${ff}.DenseReluDense.wi.weight`, `${block}.mlp.fc.weight`, [f, d]);
      }
      add(`${ff}.DenseReluDense.wo.weight`, `${block}.mlp.out.weight`, [d, f]);
      add(`${ff}.layer_norm.weight`, `${block}.ln2.weight`, [d], false);
    }
  }
  return names;
}

/** Hugging Face activation names (`ACT2FN`) wordforge implements, and ours. */
const HF_ACTIVATIONS: Readonly<Record<string, ActivationName>> = {
  relu: 'relu', gelu: 'gelu', gelu_new: 'gelu_tanh', gelu_pytorch_tanh: 'gelu_tanh', silu: 'silu', swish: 'silu',
};

/** Reads an optional numeric HF key, or its default. */
function numberKey(hf: Record<string, unknown>, key: string, fallback: number): number {
  const v = hf[key] ?? fallback;
  assert(typeof v === 'number', ConfigError, () => `config.json ${key} (${describeJSON(v)}) must be a number`);
  return v;
}

/**
 * Reads a Hugging Face T5 `config.json` (v1.0 or v1.1; absent keys take HF's `T5Config` defaults)
 * into a {@link T5Config}. `feed_forward_proj` is `"relu"`, `"gated-gelu"` (gelu_new, v1.1) or
 * `[gated-]ACT` for another activation.
 * @throws ConfigError when the model is not T5 or uses a variant wordforge's T5 does not implement
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const config = t5ConfigFromHuggingFace(JSON.parse(readFileSync('t5-small/config.json', 'utf8')));
 * ```
 */
export function t5ConfigFromHuggingFace(hf: Record<string, unknown>): T5Config {
  assert(hf !== null && typeof hf === 'object' && !Array.isArray(hf), ConfigError,
    () => `a T5 config.json must hold an object, got ${describeJSON(hf)}`);
  assert(hf.model_type === 't5', ConfigError, () => `config.json model_type is ${describeJSON(hf.model_type)}, expected "t5"`);
  const proj = hf.feed_forward_proj ?? 'relu';
  assert(typeof proj === 'string', ConfigError, () => `feed_forward_proj (${describeJSON(proj)}) must be a string`);
  const parts = proj.split('-');
  const gated = parts.length === 2 && parts[0] === 'gated';
  const act = proj === 'gated-gelu' ? 'gelu_new' : (parts[parts.length - 1] as string);
  const activation = HF_ACTIVATIONS[act];
  assert((parts.length === 1 || gated) && activation !== undefined, ConfigError,
    () => `feed_forward_proj ${describeJSON(proj)} is not supported: use "relu", "gated-gelu" or [gated-]{${Object.keys(HF_ACTIVATIONS).join(', ')}}`);
  const tie = hf.tie_word_embeddings ?? true;
  assert(typeof tie === 'boolean', ConfigError, () => `tie_word_embeddings (${describeJSON(tie)}) must be a boolean`);
  const numLayers = numberKey(hf, 'num_layers', 6);
  return resolveT5Config({
    vocabSize: numberKey(hf, 'vocab_size', 32128),
    hiddenSize: numberKey(hf, 'd_model', 512),
    headDim: numberKey(hf, 'd_kv', 64),
    intermediateSize: numberKey(hf, 'd_ff', 2048),
    numLayers,
    numDecoderLayers: numberKey(hf, 'num_decoder_layers', numLayers),
    numHeads: numberKey(hf, 'num_heads', 8),
    relativeAttentionNumBuckets: numberKey(hf, 'relative_attention_num_buckets', 32),
    relativeAttentionMaxDistance: numberKey(hf, 'relative_attention_max_distance', 128),
    activation,
    gatedFeedForward: gated,
    tieWordEmbeddings: tie,
    dropout: numberKey(hf, 'dropout_rate', 0.1),
    layerNormEps: numberKey(hf, 'layer_norm_epsilon', 1e-6),
    initFactor: numberKey(hf, 'initializer_factor', 1),
    padTokenId: numberKey(hf, 'pad_token_id', 0),
    eosTokenId: numberKey(hf, 'eos_token_id', 1),
    decoderStartTokenId: numberKey(hf, 'decoder_start_token_id', numberKey(hf, 'pad_token_id', 0)),
  });
}

/**
 * The Hugging Face `config.json` of a {@link T5Config}, loadable by `T5ForConditionalGeneration.from_pretrained`
 * (`architectures` names `architecture`, e.g. `'T5EncoderModel'`).
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * t5ConfigToHuggingFace(model.config).feed_forward_proj; // 'relu'
 * ```
 */
export function t5ConfigToHuggingFace(config: T5Config, architecture = 'T5ForConditionalGeneration'): Record<string, unknown> {
  const act = Object.entries(HF_ACTIVATIONS).find(([, ours]) => ours === config.activation)?.[0] as string;
  const proj = config.gatedFeedForward && config.activation === 'gelu_tanh' ? 'gated-gelu' : `${config.gatedFeedForward ? 'gated-' : ''}${act}`;
  return {
    architectures: [architecture],
    model_type: 't5',
    vocab_size: config.vocabSize,
    d_model: config.hiddenSize,
    d_kv: config.headDim,
    d_ff: config.intermediateSize,
    num_layers: config.numLayers,
    num_decoder_layers: config.numDecoderLayers,
    num_heads: config.numHeads,
    relative_attention_num_buckets: config.relativeAttentionNumBuckets,
    relative_attention_max_distance: config.relativeAttentionMaxDistance,
    feed_forward_proj: proj,
    dense_act_fn: proj === 'gated-gelu' ? 'gelu_new' : act,
    is_gated_act: config.gatedFeedForward,
    tie_word_embeddings: config.tieWordEmbeddings,
    dropout_rate: config.dropout,
    layer_norm_epsilon: config.layerNormEps,
    initializer_factor: config.initFactor,
    pad_token_id: config.padTokenId,
    eos_token_id: config.eosTokenId,
    decoder_start_token_id: config.decoderStartTokenId,
    is_encoder_decoder: true,
    use_cache: true,
  };
}

/** Copies extra embedding keys HF may store (tied copies of `shared.weight`); they are not loaded. */
const TIED_COPIES = ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'];

/**
 * Renames (and transposes) a Hugging Face T5 state dict to ours. Tied copies HF may store
 * (`encoder/decoder.embed_tokens.weight`, and `lm_head.weight` of a tied model) are skipped, as
 * HF re-ties them; `encoder.embed_tokens.weight` stands in for a missing `shared.weight`. With
 * `encoderOnly`, the decoder and head of a full checkpoint are skipped too (as HF's `T5EncoderModel` does).
 * @param tensors - HF tensors by name (not disposed)
 * @returns new tensors by our names; the caller disposes them
 * @throws StateDictError listing missing and unexpected keys and tensors of the wrong shape (HF names)
 * @example
 * ```ts
 * const { tensors } = await loadSafetensors('t5/model.safetensors');
 * declare const config: T5Config;
 * const state = t5StateDictFromHuggingFace(tensors, config);
 * ```
 */
export function t5StateDictFromHuggingFace(tensors: Record<string, tf.Tensor>, config: T5Config, options: T5WeightNameOptions = {}): StateDict {
  const names = t5WeightNames(config, options);
  const source: Record<string, tf.Tensor> = { ...tensors };
  if (source['shared.weight'] === undefined && source['encoder.embed_tokens.weight'] !== undefined) {
    source['shared.weight'] = source['encoder.embed_tokens.weight'];
  }
  const skipped = new Set([...TIED_COPIES, ...(config.tieWordEmbeddings ? ['lm_head.weight'] : [])]);
  const ignored = (key: string): boolean => skipped.has(key) || (options.encoderOnly === true && /^(decoder|lm_head)\./.test(key));
  const unexpected = Object.keys(source).filter((key) => !names.has(key) && !ignored(key));
  const missing = [...names.keys()].filter((key) => source[key] === undefined);
  const misshaped = [...names].filter(([key, { shape }]) => source[key] !== undefined && !tf.util.arraysEqual(source[key].shape, [...shape]))
    .map(([key, { shape }]) => `${key} has shape [${source[key]?.shape}], expected [${shape}]`);
  if (missing.length > 0 || unexpected.length > 0 || misshaped.length > 0) {
    throw new StateDictError(`Hugging Face T5 weights do not match the config (${config.numLayers} encoder, ` +
      `${config.numDecoderLayers} decoder layers, ${config.gatedFeedForward ? 'gated' : 'plain'} feed-forward, ` +
      `${config.tieWordEmbeddings ? 'tied' : 'untied'} head):` +
      `${missing.length ? ` missing keys: ${missing.join(', ')};` : ''}${unexpected.length ? ` unexpected keys: ${unexpected.join(', ')};` : ''}` +
      `${misshaped.length ? ` wrong shapes: ${misshaped.join(', ')}` : ''}`);
  }
  return tf.tidy(() => Object.fromEntries([...names].map(([hf, { ours, transpose }]) => {
    const t = source[hf] as tf.Tensor;
    return [ours, transpose ? tf.transpose(t) : tf.clone(t)]; // [out, in] -> [in, out]
  })));
}

/**
 * Our state dict under Hugging Face names and layouts, as `save_pretrained` writes a
 * `T5ForConditionalGeneration` (tied copies dropped: `shared.weight` only, plus `lm_head.weight`
 * when untied), or with `encoderOnly` a `T5EncoderModel`.
 * @param state - our parameters by name (e.g. `model.stateDict()`)
 * @returns new tensors by HF name; the caller disposes them
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * const hf = t5StateDictToHuggingFace(model.stateDict(), model.config);
 * await saveSafetensors('model.safetensors', hf, { format: 'pt' });
 * tf.dispose(Object.values(hf));
 * ```
 */
export function t5StateDictToHuggingFace(state: StateDict, config: T5Config, options: T5WeightNameOptions = {}): Record<string, tf.Tensor> {
  const names = t5WeightNames(config, options);
  return tf.tidy(() => Object.fromEntries([...names].map(([hf, { ours, transpose }]) => {
    const t = state[ours];
    if (t === undefined) throw new StateDictError(`parameter ${ours} (for ${hf}) is missing`);
    return [hf, transpose ? tf.transpose(t) : tf.clone(t)]; // [in, out] -> [out, in]
  })));
}
