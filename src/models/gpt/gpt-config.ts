import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';

/**
 * Hyper-parameters of a GPT-2-style decoder-only Transformer (Radford et al. 2019,
 * https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf).
 * Hugging Face `config.json` keys map as: `vocab_size` → vocabSize, `n_positions` → contextLength,
 * `n_embd` → hiddenSize, `n_layer` → numLayers, `n_head` → numHeads, `n_inner` → intermediateSize,
 * `layer_norm_epsilon` → layerNormEps, `resid_pdrop` → dropout, `initializer_range` → initStd.
 */
export interface GPTConfig {
  /** Number of token ids the model reads and predicts. */
  readonly vocabSize: number;
  /** Longest sequence the model attends over (learned position embeddings). */
  readonly contextLength: number;
  /** Width of the residual stream (d_model). */
  readonly hiddenSize: number;
  /** Number of Transformer blocks. */
  readonly numLayers: number;
  /** Attention heads per block; must divide hiddenSize. */
  readonly numHeads: number;
  /** Width of the feed-forward layer. */
  readonly intermediateSize: number;
  /** Dropout rate on embeddings, attention probabilities and residual branches. */
  readonly dropout: number;
  /** Epsilon of every LayerNorm. */
  readonly layerNormEps: number;
  /** Standard deviation of the normal weight initialisation. */
  readonly initStd: number;
  /** Seed of weight initialisation and dropout. */
  readonly seed: number;
  /**
   * Activation recomputation while training (Hugging Face's `gradient_checkpointing`): each block
   * keeps only its input during the forward pass and is run again in the backward pass, with the
   * same dropout masks, so memory for activations no longer grows with depth; each step runs the
   * blocks' forward pass twice. Inference and generation are unaffected. A runtime flag, as in
   * Hugging Face: it is not written to `config.json`. Absent means false. Not combinable with LoRA
   * adapters.
   * @example
   * ```ts
   * const model = new GPTCausalLM({ ...GPT_PRESETS.small, gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/** Defaults for every field a caller may omit, each with the reason it is the default. */
export const GPT_CONFIG_DEFAULTS = {
  /** GPT-2's context length. */
  contextLength: 1024,
  /** GPT-2 small's width. */
  hiddenSize: 768,
  /** GPT-2 small's depth. */
  numLayers: 12,
  /** GPT-2 small: 64-wide heads. */
  numHeads: 12,
  /** 0 = derive 4 × hiddenSize, GPT-2's ratio. */
  intermediateSize: 0,
  /** Small models on small data need no dropout to train fast; raise it against overfitting. */
  dropout: 0,
  /** GPT-2's layer_norm_epsilon. */
  layerNormEps: 1e-5,
  /** GPT-2's initializer_range. */
  initStd: 0.02,
  /** Reproducible by default. */
  seed: 0,
} as const;

/** A partial config: `vocabSize` is required, everything else has a default. */
export type GPTConfigInput = Partial<GPTConfig> & Pick<GPTConfig, 'vocabSize'>;

const positiveIntegers = ['vocabSize', 'contextLength', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize'] as const;

/**
 * Fills defaults, validates and freezes a GPT config.
 * @throws ConfigError naming the bad field and value
 * @example
 * ```ts
 * const config = resolveGPTConfig({ vocabSize: 512, hiddenSize: 128, numLayers: 2, numHeads: 4 });
 * config.intermediateSize; // 512
 * ```
 */
export function resolveGPTConfig(input: GPTConfigInput): GPTConfig {
  assert(input != null && typeof input === 'object' && !Array.isArray(input), ConfigError,
    () => `GPT config must be an object, got ${describeJSON(input)}`);
  const known = new Set<string>(['vocabSize', 'gradientCheckpointing', ...Object.keys(GPT_CONFIG_DEFAULTS)]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  assert(unknown.length === 0, ConfigError, () => `unknown GPT config keys: ${unknown.join(', ')}`);
  const { gradientCheckpointing, ...numeric } = input;
  assert(gradientCheckpointing === undefined || typeof gradientCheckpointing === 'boolean', ConfigError,
    () => `gradientCheckpointing (${describeJSON(gradientCheckpointing)}) must be true or false`);
  const merged: Record<string, unknown> = { ...GPT_CONFIG_DEFAULTS, ...numeric };
  for (const [key, v] of Object.entries(merged)) {
    assert(typeof v === 'number' && Number.isFinite(v), ConfigError, () => `${key} (${describeJSON(v)}) must be a finite number`);
  }
  const c = merged as unknown as GPTConfig;
  const config: GPTConfig = {
    ...c,
    intermediateSize: c.intermediateSize === 0 ? 4 * c.hiddenSize : c.intermediateSize,
    ...(gradientCheckpointing === undefined ? {} : { gradientCheckpointing }),
  };
  for (const key of positiveIntegers) {
    const v = config[key];
    assert(Number.isInteger(v) && v > 0, ConfigError, () => `${key} (${v}) must be a positive integer`);
  }
  assert(config.hiddenSize % config.numHeads === 0, ConfigError,
    () => `numHeads (${config.numHeads}) must divide hiddenSize (${config.hiddenSize})`);
  assert(config.dropout >= 0 && config.dropout < 1, ConfigError, () => `dropout (${config.dropout}) must be in [0, 1)`);
  assert(config.layerNormEps > 0, ConfigError, () => `layerNormEps (${config.layerNormEps}) must be positive`);
  assert(config.initStd > 0, ConfigError, () => `initStd (${config.initStd}) must be positive`);
  assert(Number.isInteger(config.seed), ConfigError, () => `seed (${config.seed}) must be an integer`);
  return Object.freeze(config);
}
