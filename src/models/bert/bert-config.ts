import type { ActivationName } from '../../ops/activations.js';
import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';

/** The members of the BERT family: one architecture, three ways of naming and wiring it. */
export type BertVariant = 'bert' | 'roberta' | 'distilbert';

/** The variants {@link resolveBertConfig} accepts. */
export const BERT_VARIANTS: readonly BertVariant[] = Object.freeze(['bert', 'roberta', 'distilbert']);

/**
 * Hyper-parameters of a BERT-family encoder (Devlin et al. 2018, https://arxiv.org/abs/1810.04805;
 * RoBERTa https://arxiv.org/abs/1907.11692; DistilBERT https://arxiv.org/abs/1910.01108).
 * The variant decides only wiring details: RoBERTa numbers positions from `padTokenId + 1` and
 * skips padding; DistilBERT has no token types and no pooler. Hugging Face keys are read in
 * `bertConfigFromHuggingFace` only.
 */
export interface BertConfig {
  /** Which member of the family (naming of weights, position numbering, heads). */
  readonly variant: BertVariant;
  /** Number of token ids the model reads and predicts. */
  readonly vocabSize: number;
  /** Rows of the position table (RoBERTa: usable length is `maxPositions - padTokenId - 1`). */
  readonly maxPositions: number;
  /** Width of the hidden states (d_model). */
  readonly hiddenSize: number;
  /** Number of Transformer layers. */
  readonly numLayers: number;
  /** Attention heads per layer; must divide hiddenSize. */
  readonly numHeads: number;
  /** Width of the feed-forward layer. */
  readonly intermediateSize: number;
  /** Segment (token type) vocabulary; 0 means no token-type embedding (DistilBERT). */
  readonly typeVocabSize: number;
  /** Feed-forward activation (`gelu` is the exact erf form BERT uses). */
  readonly activation: ActivationName;
  /** Dropout on embeddings and on every residual branch. */
  readonly hiddenDropout: number;
  /** Dropout on attention probabilities. */
  readonly attentionDropout: number;
  /** Dropout before a classification layer. */
  readonly classifierDropout: number;
  /** Epsilon of every LayerNorm. */
  readonly layerNormEps: number;
  /** Id of the padding token (RoBERTa numbers positions after it). */
  readonly padTokenId: number;
  /** `learned` position vectors, or the fixed `sinusoidal` table (DistilBERT option). */
  readonly positionEmbedding: 'learned' | 'sinusoidal';
  /** Outputs of a classification head. */
  readonly numLabels: number;
  /**
   * What sequence-classification labels are (HF `problem_type`): `auto` follows the batch's label
   * array (Int32 classes, Float32 regression targets); `regression` or `single_label_classification`
   * accept only that kind and are written to `config.json`, so HF trains the same loss.
   */
  readonly problemType: 'auto' | 'regression' | 'single_label_classification';
  /** Standard deviation of the normal weight initialisation. */
  readonly initStd: number;
  /** Seed of weight initialisation and dropout. */
  readonly seed: number;
  /**
   * Activation recomputation while training (Hugging Face's `gradient_checkpointing`): each block
   * keeps only its inputs during the forward pass and is run again in the backward pass, with the
   * same dropout masks; less memory, slower steps. Inference is unaffected. A runtime flag, as in
   * Hugging Face: not written to `config.json`. Absent means false. Not combinable with LoRA adapters.
   * @example
   * ```ts
   * const model = new BertModel({ vocabSize: 100, hiddenSize: 32, numHeads: 4, numLayers: 2, gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/** Defaults for every field a caller may omit, each with the reason it is the default. */
export const BERT_CONFIG_DEFAULTS = {
  /** The original architecture. */
  variant: 'bert',
  /** bert-base's position table. */
  maxPositions: 512,
  /** bert-base's width. */
  hiddenSize: 768,
  /** bert-base's depth. */
  numLayers: 12,
  /** bert-base: 64-wide heads. */
  numHeads: 12,
  /** 0 = derive 4 × hiddenSize, BERT's ratio. */
  intermediateSize: 0,
  /** Sentence pairs (A/B segments) as BERT was pre-trained. */
  typeVocabSize: 2,
  /** BERT's exact erf GELU. */
  activation: 'gelu',
  /** BERT's hidden_dropout_prob. */
  hiddenDropout: 0.1,
  /** BERT's attention_probs_dropout_prob. */
  attentionDropout: 0.1,
  /** BERT uses hidden_dropout_prob before its classifier. */
  classifierDropout: 0.1,
  /** BERT's layer_norm_eps. */
  layerNormEps: 1e-12,
  /** BERT's [PAD] id. */
  padTokenId: 0,
  /** BERT learns its positions. */
  positionEmbedding: 'learned',
  /** Binary classification, Hugging Face's default. */
  numLabels: 2,
  /** HF's `problem_type: null`: decided by the labels. */
  problemType: 'auto',
  /** BERT's initializer_range. */
  initStd: 0.02,
  /** Reproducible by default. */
  seed: 0,
} as const;

/** A partial config: `vocabSize` is required, everything else has a default. */
export type BertConfigInput = Partial<BertConfig> & Pick<BertConfig, 'vocabSize'>;

const POSITIVE_INTEGERS = ['vocabSize', 'maxPositions', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'numLabels'] as const;
const RATES = ['hiddenDropout', 'attentionDropout', 'classifierDropout'] as const;
const ACTIVATIONS: readonly ActivationName[] = ['gelu', 'gelu_tanh', 'relu', 'silu'];
const STRING_FIELDS = new Set(['variant', 'activation', 'positionEmbedding', 'problemType']);
const PROBLEM_TYPES: ReadonlyArray<BertConfig['problemType']> = ['auto', 'regression', 'single_label_classification'];

/**
 * Fills defaults, validates and freezes a BERT-family config.
 * @throws ConfigError naming the bad field and value
 * @example
 * ```ts
 * const config = resolveBertConfig({ vocabSize: 512, hiddenSize: 64, numLayers: 2, numHeads: 4 });
 * config.intermediateSize; // 256
 * ```
 */
export function resolveBertConfig(input: BertConfigInput): BertConfig {
  assert(input != null && typeof input === 'object' && !Array.isArray(input), ConfigError,
    () => `BERT config must be an object, got ${describeJSON(input)}`);
  const known = new Set<string>(['vocabSize', 'gradientCheckpointing', ...Object.keys(BERT_CONFIG_DEFAULTS)]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  assert(unknown.length === 0, ConfigError, () => `unknown BERT config keys: ${unknown.join(', ')}`);
  const { gradientCheckpointing, ...rest } = input;
  assert(gradientCheckpointing === undefined || typeof gradientCheckpointing === 'boolean', ConfigError,
    () => `gradientCheckpointing (${describeJSON(gradientCheckpointing)}) must be true or false`);
  const merged: Record<string, unknown> = { ...BERT_CONFIG_DEFAULTS, ...rest };
  for (const [key, v] of Object.entries(merged)) {
    if (STRING_FIELDS.has(key)) continue;
    assert(typeof v === 'number' && Number.isFinite(v), ConfigError, () => `${key} (${describeJSON(v)}) must be a finite number`);
  }
  const c = merged as unknown as BertConfig;
  assert(BERT_VARIANTS.includes(c.variant), ConfigError,
    () => `variant ${describeJSON(c.variant)} must be one of ${BERT_VARIANTS.join(', ')}`);
  assert(ACTIVATIONS.includes(c.activation), ConfigError,
    () => `activation ${describeJSON(c.activation)} must be one of ${ACTIVATIONS.join(', ')}`);
  assert(PROBLEM_TYPES.includes(c.problemType), ConfigError,
    () => `problemType ${describeJSON(c.problemType)} must be one of ${PROBLEM_TYPES.join(', ')}`);
  assert(c.positionEmbedding === 'learned' || c.positionEmbedding === 'sinusoidal', ConfigError,
    () => `positionEmbedding ${describeJSON(c.positionEmbedding)} must be "learned" or "sinusoidal"`);
  const config: BertConfig = {
    ...c,
    intermediateSize: c.intermediateSize === 0 ? 4 * c.hiddenSize : c.intermediateSize,
    ...(gradientCheckpointing === undefined ? {} : { gradientCheckpointing }),
  };
  for (const key of POSITIVE_INTEGERS) {
    const v = config[key];
    assert(Number.isInteger(v) && v > 0, ConfigError, () => `${key} (${v}) must be a positive integer`);
  }
  assert(Number.isInteger(config.typeVocabSize) && config.typeVocabSize >= 0, ConfigError,
    () => `typeVocabSize (${config.typeVocabSize}) must be a non-negative integer`);
  assert(config.variant !== 'distilbert' || config.typeVocabSize === 0, ConfigError,
    () => `typeVocabSize (${config.typeVocabSize}) must be 0 for distilbert (it has no token types)`);
  assert(config.positionEmbedding === 'learned' || config.variant === 'distilbert', ConfigError,
    () => `sinusoidal positions are a distilbert option, not available for ${config.variant}`);
  assert(config.hiddenSize % config.numHeads === 0, ConfigError,
    () => `numHeads (${config.numHeads}) must divide hiddenSize (${config.hiddenSize})`);
  for (const key of RATES) {
    assert(config[key] >= 0 && config[key] < 1, ConfigError, () => `${key} (${config[key]}) must be in [0, 1)`);
  }
  assert(config.layerNormEps > 0, ConfigError, () => `layerNormEps (${config.layerNormEps}) must be positive`);
  assert(Number.isInteger(config.padTokenId) && config.padTokenId >= 0 && config.padTokenId < config.vocabSize, ConfigError,
    () => `padTokenId (${config.padTokenId}) must be a token id in [0, ${config.vocabSize})`);
  assert(config.variant !== 'roberta' || config.padTokenId + 1 < config.maxPositions, ConfigError,
    () => `roberta positions start at padTokenId + 1 (${config.padTokenId + 1}), past maxPositions (${config.maxPositions})`);
  assert(config.initStd > 0, ConfigError, () => `initStd (${config.initStd}) must be positive`);
  assert(Number.isInteger(config.seed), ConfigError, () => `seed (${config.seed}) must be an integer`);
  return Object.freeze(config);
}
