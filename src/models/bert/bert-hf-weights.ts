import * as tf from '@tensorflow/tfjs-core';
import type { StateDict } from '../../layers/module.js';
import { SinusoidalPositionEmbedding } from '../../layers/sinusoidal-position-embedding.js';
import { StateDictError } from '../../utils/errors.js';
import { resolveBertConfig, type BertConfig, type BertConfigInput, type BertVariant } from './bert-config.js';
import type { BertTask } from './bert-hf-config.js';

/** One weight of a BERT-family model: its Hugging Face name, our name and shape, and the layout rule. */
export interface BertWeight {
  /** Hugging Face name, e.g. `bert.encoder.layer.0.attention.self.query.weight`. */
  readonly hf: string;
  /** Our attribute path relative to the task model, e.g. `backbone.blocks.0.attn.query.weight`. */
  readonly ours: string;
  /** Our shape; Hugging Face's is the reverse when `transpose` is set. */
  readonly shape: readonly number[];
  /** An `nn.Linear` weight: HF stores `[out, in]`, we store `[in, out]`. */
  readonly transpose: boolean;
}

/** Per-layer names: HF suffix, our suffix, which Linear (for its shape) or 'norm'. */
type LayerEntry = readonly [hf: string, ours: string, kind: 'qkvo' | 'fc' | 'out' | 'norm'];
const ENCODER_LAYER: readonly LayerEntry[] = [
  ['attention.self.query', 'attn.query', 'qkvo'], ['attention.self.key', 'attn.key', 'qkvo'],
  ['attention.self.value', 'attn.value', 'qkvo'], ['attention.output.dense', 'attn.out', 'qkvo'],
  ['attention.output.LayerNorm', 'ln1', 'norm'], ['intermediate.dense', 'mlp.fc', 'fc'],
  ['output.dense', 'mlp.out', 'out'], ['output.LayerNorm', 'ln2', 'norm'],
];
const DISTILBERT_LAYER: readonly LayerEntry[] = [
  ['attention.q_lin', 'attn.query', 'qkvo'], ['attention.k_lin', 'attn.key', 'qkvo'],
  ['attention.v_lin', 'attn.value', 'qkvo'], ['attention.out_lin', 'attn.out', 'qkvo'],
  ['sa_layer_norm', 'ln1', 'norm'], ['ffn.lin1', 'mlp.fc', 'fc'],
  ['ffn.lin2', 'mlp.out', 'out'], ['output_layer_norm', 'ln2', 'norm'],
];
/** Masked-LM head names per variant: transform dense, its LayerNorm, the decoder's own bias. */
const MLM_HEAD: Readonly<Record<BertVariant, { dense: string; norm: string; bias: string; tied: readonly string[] }>> = {
  bert: { dense: 'cls.predictions.transform.dense', norm: 'cls.predictions.transform.LayerNorm', bias: 'cls.predictions.bias',
    tied: ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'] },
  roberta: { dense: 'lm_head.dense', norm: 'lm_head.layer_norm', bias: 'lm_head.bias', tied: ['lm_head.decoder.weight', 'lm_head.decoder.bias'] },
  distilbert: { dense: 'vocab_transform', norm: 'vocab_layer_norm', bias: 'vocab_projector.bias', tied: ['vocab_projector.weight'] },
};
/** Sequence-classification names: the dense before the classifier (none for BERT: its pooler) and the classifier. */
const CLASSIFIER: Readonly<Record<BertVariant, { pre?: string; out: string }>> = {
  bert: { out: 'classifier' },
  roberta: { pre: 'classifier.dense', out: 'classifier.out_proj' },
  distilbert: { pre: 'pre_classifier', out: 'classifier' },
};

/**
 * Whether the encoder of this variant and task carries Hugging Face's pooler
 * (`add_pooling_layer`): every BERT/RoBERTa base model, and BERT's sequence classifier; RoBERTa's
 * classifier has its own dense layer, DistilBERT has no pooler at all.
 * @example
 * ```ts
 * bertHasPooler('bert', 'masked-lm'); // false
 * ```
 */
export function bertHasPooler(variant: BertVariant, task: BertTask): boolean {
  return variant !== 'distilbert' && (task === 'base' || (variant === 'bert' && task === 'sequence-classification'));
}

/**
 * The full weight table of a model: every parameter with its Hugging Face name, our name, our
 * shape and whether it is transposed. The tied masked-LM decoder appears once (as the word
 * embedding), as in the files Hugging Face writes. Task models name the encoder `backbone.*`;
 * HF names it `bert.*` / `roberta.*` / `distilbert.*`, except in a base-model (`task: 'base'`)
 * file, which has no prefix.
 * @example
 * ```ts
 * declare const config: BertConfig;
 * bertWeightTable(config, 'masked-lm').find((w) => w.ours === 'head.bias')?.hf; // 'cls.predictions.bias'
 * ```
 */
export function bertWeightTable(config: BertConfig, task: BertTask): BertWeight[] {
  const { variant, hiddenSize: d, intermediateSize: inner, vocabSize: v, numLabels } = config;
  const prefix = task === 'base' ? '' : `${variant}.`;
  const ours = task === 'base' ? '' : 'backbone.';
  const table: BertWeight[] = [];
  const linear = (hf: string, name: string, inF: number, outF: number): void => {
    table.push({ hf: `${hf}.weight`, ours: `${name}.weight`, shape: [inF, outF], transpose: true });
    table.push({ hf: `${hf}.bias`, ours: `${name}.bias`, shape: [outF], transpose: false });
  };
  const norm = (hf: string, name: string): void => {
    table.push({ hf: `${hf}.weight`, ours: `${name}.weight`, shape: [d], transpose: false });
    table.push({ hf: `${hf}.bias`, ours: `${name}.bias`, shape: [d], transpose: false });
  };
  const embedding = (hf: string, name: string, rows: number): void => {
    table.push({ hf: `${prefix}embeddings.${hf}.weight`, ours: `${ours}${name}.weight`, shape: [rows, d], transpose: false });
  };
  embedding('word_embeddings', 'wordEmbedding', v);
  embedding('position_embeddings', 'positionEmbedding', config.maxPositions);
  if (config.typeVocabSize > 0) embedding('token_type_embeddings', 'tokenTypeEmbedding', config.typeVocabSize);
  norm(`${prefix}embeddings.LayerNorm`, `${ours}embeddingNorm`);
  const layer = variant === 'distilbert' ? DISTILBERT_LAYER : ENCODER_LAYER;
  const stack = variant === 'distilbert' ? 'transformer' : 'encoder';
  for (let i = 0; i < config.numLayers; i++) {
    for (const [hf, name, kind] of layer) {
      const hfName = `${prefix}${stack}.layer.${i}.${hf}`;
      const ourName = `${ours}blocks.${i}.${name}`;
      if (kind === 'norm') norm(hfName, ourName);
      else linear(hfName, ourName, kind === 'out' ? inner : d, kind === 'fc' ? inner : d);
    }
  }
  if (bertHasPooler(variant, task)) linear(`${prefix}pooler.dense`, `${ours}pooler`, d, d);
  if (task === 'masked-lm') {
    const head = MLM_HEAD[variant];
    linear(head.dense, 'head.dense', d, d);
    norm(head.norm, 'head.norm');
    table.push({ hf: head.bias, ours: 'head.bias', shape: [v], transpose: false });
  } else if (task === 'sequence-classification') {
    const names = CLASSIFIER[variant];
    if (names.pre !== undefined) linear(names.pre, 'head.dense', d, d);
    linear(names.out, 'head.classifier', d, numLabels);
  } else if (task === 'token-classification') {
    linear('classifier', 'head.classifier', d, numLabels);
  }
  return table;
}

/**
 * Number of scalar parameters of a model, computed from {@link bertWeightTable} without building
 * it (a base-size model would allocate half a gigabyte); tied weights count once.
 * @param config - a config or config input (resolved here)
 * @param task - `base` for the encoder alone (HF `BertModel`...), or a task head
 * @example
 * ```ts
 * bertParameterCount(BERT_PRESETS['bert-base-uncased'], 'base'); // 109482240
 * ```
 */
export function bertParameterCount(config: BertConfigInput, task: BertTask): number {
  return bertWeightTable(resolveBertConfig(config), task).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** Options of {@link bertStateDictFromHuggingFace}. */
export interface BertFromHuggingFaceOptions {
  /**
   * Allow the task head (and a pooler) to be absent from the file, keeping its fresh random init,
   * and ignore other heads' weights: fine-tuning a pre-trained encoder on a new task, as
   * `from_pretrained` does with a warning. Default false: every weight must be present.
   */
  readonly newHead?: boolean;
}

/** Keys HF writes or keeps that carry nothing we need: buffers, the NSP head, tied copies. */
function isIgnorable(key: string, variant: BertVariant): boolean {
  return /(^|\.)embeddings\.position_ids$/.test(key) || key.startsWith('cls.seq_relationship.')
    || MLM_HEAD[variant].tied.includes(key);
}

/** Whether an HF key belongs to the encoder (with or without the variant prefix), not to a head. */
function isEncoderKey(key: string, variant: BertVariant): boolean {
  return key.startsWith(`${variant}.`) || /^(embeddings|encoder|transformer|pooler)\./.test(key);
}

/**
 * Converts Hugging Face tensors to our state dict, transposing `nn.Linear` weights. Accepts keys
 * with or without the variant prefix (a base-model file in a task model), the old `gamma`/`beta`
 * LayerNorm names, and skips `position_ids` buffers, the next-sentence head and tied decoder
 * copies; a pooler the model does not use is skipped, as HF does. DistilBERT's fixed sinusoidal
 * position table is recomputed when the file lacks it. Weights stored under our own attribute
 * names and layout (a Trainer checkpoint's `model.safetensors`) are taken as they are.
 * @param tensors - HF tensors by name (not disposed; untransposed results share them)
 * @returns our state dict; dispose its values after loading (disposing a shared tensor twice is harmless)
 * @throws StateDictError listing missing keys, unexpected keys and wrong shapes with their HF names
 * @example
 * ```ts
 * const { tensors } = await loadSafetensors('bert/model.safetensors');
 * declare const config: BertConfig, model: BertForMaskedLM;
 * const state = bertStateDictFromHuggingFace(tensors, config, 'masked-lm');
 * model.loadStateDict(state);
 * ```
 */
export function bertStateDictFromHuggingFace(
  tensors: Record<string, tf.Tensor>, config: BertConfig, task: BertTask, options: BertFromHuggingFaceOptions = {},
): StateDict {
  const table = bertWeightTable(config, task);
  const byHf = new Map(table.map((w) => [w.hf, w]));
  const byOurs = new Map(table.map((w) => [w.ours, w]));
  const prefix = `${config.variant}.`;
  const found = new Map<BertWeight, tf.Tensor>();
  const ourLayout = new Set<BertWeight>(); // stored under our names ([in, out]): a Trainer checkpoint
  const unexpected: string[] = [];
  for (const [key, tensor] of Object.entries(tensors)) {
    const renamed = key.replace(/(LayerNorm|layer_norm)\.gamma$/, '$1.weight').replace(/(LayerNorm|layer_norm)\.beta$/, '$1.bias');
    const candidates = task === 'base' ? [renamed, renamed.startsWith(prefix) ? renamed.slice(prefix.length) : renamed] : [renamed, `${prefix}${renamed}`];
    const weight = candidates.map((k) => byHf.get(k)).find((w) => w !== undefined);
    const own = byOurs.get(key);
    if (weight !== undefined) found.set(weight, tensor);
    else if (own !== undefined) {
      found.set(own, tensor);
      ourLayout.add(own);
    } else if (isIgnorable(renamed, config.variant) || /(^|\.)pooler\.dense\.(weight|bias)$/.test(renamed)) continue;
    else if (options.newHead === true && !isEncoderKey(renamed, config.variant)) continue;
    else unexpected.push(key);
  }
  const isHead = (w: BertWeight): boolean => !w.ours.startsWith('backbone.') || w.ours.startsWith('backbone.pooler.');
  // Fixed sinusoids need not be stored: HF writes them, but they are recomputed when absent.
  const isSinusoids = (w: BertWeight): boolean => config.positionEmbedding === 'sinusoidal' && w.ours.endsWith('positionEmbedding.weight');
  const sinusoids = table.find((w) => isSinusoids(w) && !found.has(w));
  const missing = table.filter((w) => !found.has(w) && !(options.newHead === true && isHead(w)) && !isSinusoids(w)).map((w) => w.hf);
  const fileShape = (w: BertWeight): number[] => (w.transpose && !ourLayout.has(w) ? [...w.shape].reverse() : [...w.shape]);
  const badShapes = [...found].filter(([w, t]) => !tf.util.arraysEqual(t.shape, fileShape(w)))
    .map(([w, t]) => `${ourLayout.has(w) ? w.ours : w.hf}: shape [${t.shape}] in the file, expected [${fileShape(w)}]`);
  if (missing.length > 0 || unexpected.length > 0 || badShapes.length > 0) {
    throw new StateDictError(`Hugging Face ${config.variant} weights do not match a ${config.numLayers}-layer ${task} model:` +
      `${missing.length ? ` missing keys: ${missing.join(', ')};` : ''}` +
      `${unexpected.length ? ` unexpected keys: ${unexpected.join(', ')};` : ''}` +
      `${badShapes.length ? ` wrong shapes: ${badShapes.join(', ')}` : ''}`);
  }
  const state: StateDict = Object.fromEntries([...found].map(([w, t]) => [w.ours, w.transpose && !ourLayout.has(w) ? tf.transpose(t) : t])); // [out, in] -> [in, out]
  if (sinusoids !== undefined) {
    const table = new SinusoidalPositionEmbedding(config.maxPositions, config.hiddenSize);
    state[sinusoids.ours] = table.table; // handed to the caller with the rest of the state
  }
  return state;
}

/** Result of {@link bertStateDictToHuggingFace}. */
export interface BertHuggingFaceTensors {
  /** Tensors by Hugging Face name, in HF layout. */
  readonly tensors: Record<string, tf.Tensor>;
  /** The tensors made here (transposed Linear weights): the caller disposes them after writing. */
  readonly created: tf.Tensor[];
}

/**
 * Our parameters under their Hugging Face names and layouts, ready for `model.safetensors`.
 * @param state - our state dict (the live variables: not disposed)
 * @returns HF tensors and the ones created here (transposes), which the caller disposes after writing
 * @throws StateDictError when `state` lacks a parameter of the table
 * @example
 * ```ts
 * declare const model: BertForMaskedLM;
 * const { tensors, created } = bertStateDictToHuggingFace(model.stateDict(), model.config, 'masked-lm');
 * await writeModelFolder('out/bert', bertConfigToHuggingFace(model.config, 'masked-lm'), tensors);
 * tf.dispose(created);
 * ```
 */
export function bertStateDictToHuggingFace(state: StateDict, config: BertConfig, task: BertTask): BertHuggingFaceTensors {
  const tensors: Record<string, tf.Tensor> = {};
  const created: tf.Tensor[] = [];
  const missing: string[] = [];
  for (const w of bertWeightTable(config, task)) {
    const t = state[w.ours];
    if (t === undefined) {
      missing.push(w.ours);
      continue;
    }
    const out = w.transpose ? tf.transpose(t) : t; // [in, out] -> [out, in]
    if (w.transpose) created.push(out);
    tensors[w.hf] = out;
  }
  if (missing.length > 0) {
    tf.dispose(created);
    throw new StateDictError(`state dict lacks parameters of a ${config.variant} ${task} model: ${missing.join(', ')}`);
  }
  return { tensors, created };
}
