import { resolveT5Config, type T5Config, type T5ConfigInput } from './t5-config.js';

/** Name of a built-in T5 preset. */
export type T5PresetName = 't5-small' | 't5-base' | 't5-v1_1-small';

/** The shape fields a preset fixes; every other field keeps its default. */
export type T5Preset = Pick<T5Config, 'vocabSize' | 'hiddenSize' | 'headDim' | 'intermediateSize' | 'numLayers' | 'numHeads'
  | 'activation' | 'gatedFeedForward' | 'tieWordEmbeddings'>;

/**
 * The shapes of Google's released T5 checkpoints (as in their Hugging Face `config.json`), with
 * their parameter counts (tied weights once; see {@link t5ParameterCount}).
 *
 * | preset | V | D | d_kv | d_ff | L | H | feed-forward | head | parameters |
 * | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
 * | t5-small | 32128 | 512 | 64 | 2048 | 6 | 8 | ReLU | tied | 60,506,624 |
 * | t5-base | 32128 | 768 | 64 | 3072 | 12 | 12 | ReLU | tied | 222,903,552 |
 * | t5-v1_1-small | 32128 | 512 | 64 | 1024 | 8 | 6 | gated GELU | untied | 76,961,152 |
 *
 * @example
 * ```ts
 * const model = new T5Seq2SeqLM({ ...T5_PRESETS['t5-small'], dropout: 0.1 });
 * ```
 */
export const T5_PRESETS: Readonly<Record<T5PresetName, T5Preset>> = Object.freeze({
  't5-small': { vocabSize: 32128, hiddenSize: 512, headDim: 64, intermediateSize: 2048, numLayers: 6, numHeads: 8, activation: 'relu', gatedFeedForward: false, tieWordEmbeddings: true },
  't5-base': { vocabSize: 32128, hiddenSize: 768, headDim: 64, intermediateSize: 3072, numLayers: 12, numHeads: 12, activation: 'relu', gatedFeedForward: false, tieWordEmbeddings: true },
  't5-v1_1-small': { vocabSize: 32128, hiddenSize: 512, headDim: 64, intermediateSize: 1024, numLayers: 8, numHeads: 6, activation: 'gelu_tanh', gatedFeedForward: true, tieWordEmbeddings: false },
});

/**
 * Number of parameters of a {@link T5Seq2SeqLM} with this config, computed without allocating
 * anything (tied weights once): the shared embedding, per stack a relative bias and a final norm,
 * per encoder block 4 attention projections, 2 norms and the feed-forward, per decoder block
 * twice the attention and 3 norms, and an untied head.
 * @param config - a full or partial config (resolved first)
 * @returns the count `numParameters()` of such a model reports
 * @example
 * ```ts
 * t5ParameterCount(T5_PRESETS['t5-small']); // 60506624
 * ```
 */
export function t5ParameterCount(config: T5ConfigInput): number {
  const c = resolveT5Config(config);
  const d = c.hiddenSize;
  const attention = 4 * d * c.numHeads * c.headDim;
  const feedForward = (c.gatedFeedForward ? 3 : 2) * d * c.intermediateSize;
  const perStack = c.relativeAttentionNumBuckets * c.numHeads + d;
  const encoder = c.numLayers * (attention + 2 * d + feedForward);
  const decoder = c.numDecoderLayers * (2 * attention + 3 * d + feedForward);
  const embeddings = (c.tieWordEmbeddings ? 1 : 2) * c.vocabSize * d;
  return embeddings + 2 * perStack + encoder + decoder;
}
