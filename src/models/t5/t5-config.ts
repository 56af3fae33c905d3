import type { ActivationName } from '../../ops/activations.js';
import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';

/**
 * Hyper-parameters of a T5 encoder-decoder (Raffel et al. 2020, https://arxiv.org/abs/1910.10683;
 * v1.1: gated-GELU feed-forward and an untied head). Hugging Face `config.json` keys map as:
 * `vocab_size` → vocabSize, `d_model` → hiddenSize, `d_kv` → headDim, `d_ff` → intermediateSize,
 * `num_layers` → numLayers, `num_decoder_layers` → numDecoderLayers, `num_heads` → numHeads,
 * `relative_attention_num_buckets` → relativeAttentionNumBuckets, `relative_attention_max_distance`
 * → relativeAttentionMaxDistance, `dropout_rate` → dropout, `layer_norm_epsilon` → layerNormEps,
 * `feed_forward_proj` → activation + gatedFeedForward, `tie_word_embeddings` → tieWordEmbeddings,
 * `initializer_factor` → initFactor, and the three token ids.
 */
export interface T5Config {
  /** Number of token ids the model reads and predicts. */
  readonly vocabSize: number;
  /** Width of the residual stream (d_model). */
  readonly hiddenSize: number;
  /** Size of each attention head (d_kv); numHeads · headDim may differ from hiddenSize. */
  readonly headDim: number;
  /** Width of the feed-forward layer (d_ff). */
  readonly intermediateSize: number;
  /** Encoder blocks. */
  readonly numLayers: number;
  /** Decoder blocks. */
  readonly numDecoderLayers: number;
  /** Attention heads per block. */
  readonly numHeads: number;
  /** Buckets of the relative position bias (half per direction in the encoder). */
  readonly relativeAttentionNumBuckets: number;
  /** Distance beyond which every relative position shares the last bucket. */
  readonly relativeAttentionMaxDistance: number;
  /** Feed-forward activation: 'relu' (T5 v1.0), 'gelu_tanh' (v1.1's gelu_new), 'gelu' or 'silu'. */
  readonly activation: ActivationName;
  /** Gated feed-forward `wo(act(wi_0 x) · wi_1 x)` (v1.1) instead of `wo(act(wi x))`. */
  readonly gatedFeedForward: boolean;
  /** Output head tied to the shared embedding, with the d_model^-0.5 rescale (v1.0); false: own `lm_head` (v1.1). */
  readonly tieWordEmbeddings: boolean;
  /** Dropout on embeddings, attention probabilities, feed-forward activations and residual branches. */
  readonly dropout: number;
  /** Epsilon of every RMSNorm (T5LayerNorm). */
  readonly layerNormEps: number;
  /** Scale of the initialisation (HF `initializer_factor`). */
  readonly initFactor: number;
  /** Padding id; labels' -100 become it when decoder inputs are derived from labels. */
  readonly padTokenId: number;
  /** End-of-sequence id; the default stop token of generation. */
  readonly eosTokenId: number;
  /** The decoder's first input token. */
  readonly decoderStartTokenId: number;
  /** Seed of weight initialisation and dropout. */
  readonly seed: number;
  /**
   * Activation recomputation while training (Hugging Face's `gradient_checkpointing`): each block
   * keeps only its inputs during the forward pass and is run again in the backward pass, with the
   * same dropout masks; less memory, slower steps. Inference is unaffected. A runtime flag, as in
   * Hugging Face: not written to `config.json`. Absent means false. Not combinable with LoRA adapters.
   * @example
   * ```ts
   * const model = new T5Seq2SeqLM({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2, gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/** Defaults for every field a caller may omit (Hugging Face `T5Config` defaults = t5-small). */
export const T5_CONFIG_DEFAULTS = {
  /** t5-small's width. */
  hiddenSize: 512,
  /** t5-small: 64-wide heads. */
  headDim: 64,
  /** t5-small's feed-forward width. */
  intermediateSize: 2048,
  /** t5-small's encoder depth. */
  numLayers: 6,
  /** 0 = the same as numLayers, as HF's `num_decoder_layers: null`. */
  numDecoderLayers: 0,
  /** t5-small's heads. */
  numHeads: 8,
  /** T5's bucket count. */
  relativeAttentionNumBuckets: 32,
  /** T5's maximum distance. */
  relativeAttentionMaxDistance: 128,
  /** Original T5 uses ReLU. */
  activation: 'relu',
  /** Original T5 is not gated. */
  gatedFeedForward: false,
  /** Original T5 ties the head to the embedding. */
  tieWordEmbeddings: true,
  /** HF's dropout_rate. */
  dropout: 0.1,
  /** HF's layer_norm_epsilon. */
  layerNormEps: 1e-6,
  /** HF's initializer_factor. */
  initFactor: 1,
  /** T5's `<pad>`. */
  padTokenId: 0,
  /** T5's `</s>`. */
  eosTokenId: 1,
  /** T5 starts decoding with `<pad>`. */
  decoderStartTokenId: 0,
  /** Reproducible by default. */
  seed: 0,
} as const;

/** A partial config: `vocabSize` is required, everything else has a default. */
export type T5ConfigInput = Partial<T5Config> & Pick<T5Config, 'vocabSize'>;

const positiveIntegers = ['vocabSize', 'hiddenSize', 'headDim', 'intermediateSize', 'numLayers', 'numDecoderLayers',
  'numHeads', 'relativeAttentionNumBuckets', 'relativeAttentionMaxDistance'] as const;
const tokenIds = ['padTokenId', 'eosTokenId', 'decoderStartTokenId'] as const;
const activations: readonly ActivationName[] = ['relu', 'gelu', 'gelu_tanh', 'silu'];

/**
 * Fills defaults, validates and freezes a T5 config.
 * @throws ConfigError naming the bad field and value
 * @example
 * ```ts
 * const config = resolveT5Config({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2 });
 * config.numDecoderLayers; // 2
 * ```
 */
export function resolveT5Config(input: T5ConfigInput): T5Config {
  assert(input !== null && typeof input === 'object', ConfigError, () => `T5 config must be an object, got ${describeJSON(input)}`);
  const { gradientCheckpointing, ...rest } = input;
  assert(gradientCheckpointing === undefined || typeof gradientCheckpointing === 'boolean', ConfigError,
    () => `gradientCheckpointing (${describeJSON(gradientCheckpointing)}) must be true or false`);
  const merged: Record<string, unknown> = { ...T5_CONFIG_DEFAULTS, ...rest };
  const known = new Set(Object.keys(T5_CONFIG_DEFAULTS).concat('vocabSize'));
  const unknown = Object.keys(merged).filter((key) => !known.has(key));
  assert(unknown.length === 0, ConfigError, () => `unknown T5 config fields: ${unknown.join(', ')}`);
  for (const [key, v] of Object.entries(merged)) {
    if (key === 'activation' || key === 'gatedFeedForward' || key === 'tieWordEmbeddings') continue;
    assert(typeof v === 'number' && Number.isFinite(v), ConfigError, () => `${key} (${describeJSON(v)}) must be a finite number`);
  }
  const c = merged as unknown as T5Config;
  const config: T5Config = {
    ...c,
    numDecoderLayers: c.numDecoderLayers === 0 ? c.numLayers : c.numDecoderLayers,
    ...(gradientCheckpointing === undefined ? {} : { gradientCheckpointing }),
  };
  for (const key of positiveIntegers) {
    assert(Number.isInteger(config[key]) && config[key] > 0, ConfigError, () => `${key} (${config[key]}) must be a positive integer`);
  }
  for (const key of tokenIds) {
    assert(Number.isInteger(config[key]) && config[key] >= 0 && config[key] < config.vocabSize, ConfigError,
      () => `${key} (${config[key]}) must be an id in [0, vocabSize ${config.vocabSize})`);
  }
  assert(activations.includes(config.activation), ConfigError,
    () => `activation (${describeJSON(config.activation)}) must be one of ${activations.join(', ')}`);
  for (const key of ['gatedFeedForward', 'tieWordEmbeddings'] as const) {
    assert(typeof config[key] === 'boolean', ConfigError, () => `${key} (${describeJSON(config[key])}) must be a boolean`);
  }
  assert(config.dropout >= 0 && config.dropout < 1, ConfigError, () => `dropout (${config.dropout}) must be in [0, 1)`);
  assert(config.layerNormEps > 0, ConfigError, () => `layerNormEps (${config.layerNormEps}) must be positive`);
  assert(config.initFactor > 0, ConfigError, () => `initFactor (${config.initFactor}) must be positive`);
  assert(Number.isInteger(config.seed), ConfigError, () => `seed (${config.seed}) must be an integer`);
  return Object.freeze(config);
}
