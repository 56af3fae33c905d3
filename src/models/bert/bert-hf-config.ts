import type { ActivationName } from '../../ops/activations.js';
import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { resolveBertConfig, type BertConfig, type BertVariant } from './bert-config.js';

/** What a BERT-family model is for: the encoder alone or one of the task heads. */
export type BertTask = 'base' | 'masked-lm' | 'sequence-classification' | 'token-classification';

/** Class-name prefix of each variant in Hugging Face transformers. */
const CLASS_PREFIX: Readonly<Record<BertVariant, string>> = { bert: 'Bert', roberta: 'Roberta', distilbert: 'DistilBert' };
/** Class-name suffix of each task. */
const CLASS_SUFFIX: Readonly<Record<BertTask, string>> = {
  'base': 'Model', 'masked-lm': 'ForMaskedLM', 'sequence-classification': 'ForSequenceClassification',
  'token-classification': 'ForTokenClassification',
};

/**
 * The Hugging Face class name (`architectures` entry) of a variant and task.
 * @example
 * ```ts
 * bertArchitectureName('roberta', 'masked-lm'); // 'RobertaForMaskedLM'
 * ```
 */
export function bertArchitectureName(variant: BertVariant, task: BertTask): string {
  return `${CLASS_PREFIX[variant]}${CLASS_SUFFIX[task]}`;
}

/** What a Hugging Face `architectures` name stands for. */
export interface BertArchitecture {
  /** The family member (`Bert...`, `Roberta...`, `DistilBert...`). */
  readonly variant: BertVariant;
  /** The head (`...Model` is `base`). */
  readonly task: BertTask;
}

/**
 * Which variant and task a Hugging Face `architectures` name stands for, or undefined for a name
 * this family does not implement (e.g. `BertForPreTraining`, `BertForQuestionAnswering`).
 * @example
 * ```ts
 * bertArchitecture('DistilBertForSequenceClassification'); // { variant: 'distilbert', task: 'sequence-classification' }
 * ```
 */
export function bertArchitecture(name: string): BertArchitecture | undefined {
  for (const [variant, prefix] of Object.entries(CLASS_PREFIX) as Array<[BertVariant, string]>) {
    for (const [task, suffix] of Object.entries(CLASS_SUFFIX) as Array<[BertTask, string]>) {
      if (name === `${prefix}${suffix}`) return { variant, task };
    }
  }
  return undefined;
}

/** HF `hidden_act` / `activation` names for each of our activations (the first one is written). */
const HF_ACTIVATIONS: Readonly<Record<ActivationName, readonly string[]>> = {
  gelu: ['gelu'], gelu_tanh: ['gelu_new', 'gelu_pytorch_tanh'], relu: ['relu'], silu: ['silu', 'swish'],
};

function activationFromHuggingFace(name: unknown, key: string): ActivationName {
  const found = (Object.entries(HF_ACTIVATIONS) as Array<[ActivationName, readonly string[]]>).find(([, names]) => names.includes(name as string));
  assert(found !== undefined, ConfigError, () => `${key} ${describeJSON(name)} is not supported (use one of ${Object.values(HF_ACTIVATIONS).flat().join(', ')})`);
  return found[0];
}

/** Number of labels of an HF config: the size of `id2label` when present, else `num_labels`, else 2. */
function numLabelsFromHuggingFace(hf: Record<string, unknown>): number {
  const id2label = hf.id2label;
  if (id2label !== undefined && id2label !== null) {
    assert(typeof id2label === 'object' && !Array.isArray(id2label), ConfigError, () => `id2label must be an object, got ${describeJSON(id2label)}`);
    return Object.keys(id2label).length;
  }
  return (hf.num_labels ?? 2) as number;
}

/** `hf[key]` when present and not null, else `fallback`. */
function read(hf: Record<string, unknown>, key: string, fallback: unknown): never {
  const v = hf[key];
  return (v === undefined || v === null ? fallback : v) as never;
}

/**
 * Reads a Hugging Face `config.json` of model_type `bert`, `roberta` or `distilbert` into a
 * {@link BertConfig}, with Hugging Face's defaults for absent keys. DistilBERT's own key names
 * (`dim`, `n_layers`, `n_heads`, `hidden_dim`, `activation`, `sinusoidal_pos_embds`,
 * `seq_classif_dropout`) are read for it; its LayerNorms always use eps 1e-12, as HF's code.
 * @throws ConfigError for another model_type or a feature this port does not implement
 *   (decoder or cross-attention use, relative position embeddings, untied word embeddings)
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const config = bertConfigFromHuggingFace(JSON.parse(readFileSync('bert/config.json', 'utf8')));
 * config.variant; // 'bert'
 * ```
 */
export function bertConfigFromHuggingFace(hf: Record<string, unknown>): BertConfig {
  assert(hf !== null && typeof hf === 'object' && !Array.isArray(hf), ConfigError,
    () => `a BERT config.json must hold an object, got ${describeJSON(hf)}`);
  const variant = hf.model_type as BertVariant;
  assert(variant === 'bert' || variant === 'roberta' || variant === 'distilbert', ConfigError,
    () => `config.json model_type is ${describeJSON(hf.model_type)}, expected "bert", "roberta" or "distilbert"`);
  assert(hf.tie_word_embeddings !== false, ConfigError, () => 'tie_word_embeddings: false is not supported (the masked-LM decoder is tied)');
  const numLabels = numLabelsFromHuggingFace(hf);
  const problemType = read(hf, 'problem_type', 'auto') as string;
  assert(problemType !== 'multi_label_classification', ConfigError,
    () => 'problem_type "multi_label_classification" is not supported (single-label classification or regression)');
  if (variant === 'distilbert') {
    const dropout = read(hf, 'dropout', 0.1);
    return resolveBertConfig({
      variant, typeVocabSize: 0, layerNormEps: 1e-12, numLabels, problemType: problemType as BertConfig['problemType'],
      vocabSize: read(hf, 'vocab_size', 30522),
      maxPositions: read(hf, 'max_position_embeddings', 512),
      hiddenSize: read(hf, 'dim', 768),
      numLayers: read(hf, 'n_layers', 6),
      numHeads: read(hf, 'n_heads', 12),
      intermediateSize: read(hf, 'hidden_dim', 3072),
      activation: activationFromHuggingFace(read(hf, 'activation', 'gelu'), 'activation'),
      hiddenDropout: dropout,
      attentionDropout: read(hf, 'attention_dropout', 0.1),
      classifierDropout: read(hf, 'seq_classif_dropout', 0.2),
      padTokenId: read(hf, 'pad_token_id', 0),
      positionEmbedding: read(hf, 'sinusoidal_pos_embds', false) === true ? 'sinusoidal' : 'learned',
      initStd: read(hf, 'initializer_range', 0.02),
    });
  }
  for (const flag of ['is_decoder', 'add_cross_attention'] as const) {
    assert(hf[flag] !== true, ConfigError, () => `${flag}: true is not supported (encoder only)`);
  }
  const positionType = read(hf, 'position_embedding_type', 'absolute');
  assert(positionType === 'absolute', ConfigError,
    () => `position_embedding_type ${describeJSON(positionType)} is not supported (only "absolute")`);
  const hiddenDropout = read(hf, 'hidden_dropout_prob', 0.1);
  return resolveBertConfig({
    variant, numLabels, problemType: problemType as BertConfig['problemType'],
    vocabSize: read(hf, 'vocab_size', 30522),
    maxPositions: read(hf, 'max_position_embeddings', 512),
    hiddenSize: read(hf, 'hidden_size', 768),
    numLayers: read(hf, 'num_hidden_layers', 12),
    numHeads: read(hf, 'num_attention_heads', 12),
    intermediateSize: read(hf, 'intermediate_size', 3072),
    typeVocabSize: read(hf, 'type_vocab_size', 2),
    activation: activationFromHuggingFace(read(hf, 'hidden_act', 'gelu'), 'hidden_act'),
    hiddenDropout,
    attentionDropout: read(hf, 'attention_probs_dropout_prob', 0.1),
    classifierDropout: read(hf, 'classifier_dropout', hiddenDropout),
    layerNormEps: read(hf, 'layer_norm_eps', 1e-12),
    padTokenId: read(hf, 'pad_token_id', variant === 'roberta' ? 1 : 0),
    initStd: read(hf, 'initializer_range', 0.02),
  });
}

/**
 * The Hugging Face `config.json` of a model: the variant's own key names, `model_type`,
 * `architectures` for the task, and `id2label`/`label2id` (`LABEL_i`) for `numLabels` labels, so
 * that `from_pretrained` rebuilds the same model. {@link bertConfigFromHuggingFace} reads it back
 * to the same config (the seed aside, which HF has no key for).
 * @example
 * ```ts
 * declare const model: BertForMaskedLM;
 * bertConfigToHuggingFace(model.config, 'masked-lm').architectures; // ['BertForMaskedLM']
 * ```
 */
export function bertConfigToHuggingFace(config: BertConfig, task: BertTask): Record<string, unknown> {
  const labels = Array.from({ length: config.numLabels }, (_, i) => `LABEL_${i}`);
  const common = {
    architectures: [bertArchitectureName(config.variant, task)],
    model_type: config.variant,
    vocab_size: config.vocabSize,
    max_position_embeddings: config.maxPositions,
    initializer_range: config.initStd,
    pad_token_id: config.padTokenId,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    tie_word_embeddings: true,
    torch_dtype: 'float32',
    problem_type: config.problemType === 'auto' ? null : config.problemType,
  };
  const activation = HF_ACTIVATIONS[config.activation][0];
  if (config.variant === 'distilbert') {
    return {
      ...common, dim: config.hiddenSize, n_layers: config.numLayers, n_heads: config.numHeads,
      hidden_dim: config.intermediateSize, activation, dropout: config.hiddenDropout,
      attention_dropout: config.attentionDropout, seq_classif_dropout: config.classifierDropout,
      sinusoidal_pos_embds: config.positionEmbedding === 'sinusoidal',
    };
  }
  return {
    ...common, hidden_size: config.hiddenSize, num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads, intermediate_size: config.intermediateSize,
    hidden_act: activation, hidden_dropout_prob: config.hiddenDropout,
    attention_probs_dropout_prob: config.attentionDropout,
    // null: HF's own default, "use hidden_dropout_prob"
    classifier_dropout: config.classifierDropout === config.hiddenDropout ? null : config.classifierDropout,
    type_vocab_size: config.typeVocabSize, layer_norm_eps: config.layerNormEps,
    position_embedding_type: 'absolute',
    ...(config.variant === 'roberta' ? { bos_token_id: 0, eos_token_id: 2 } : {}),
  };
}
