import * as tf from '@tensorflow/tfjs-core';
import type { Embedding } from '../layers/embedding.js';
import { Linear } from '../layers/linear.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { initNewRows, type NewRowsInit } from './embedding-init.js';

/**
 * A tied output head's own bias `[V]` (the BERT family's masked-LM decoder bias), which
 * {@link resizeTokenEmbeddings} resizes with the table.
 *
 * @example
 * ```ts
 * declare const bertForMaskedLM: BertForMaskedLM;
 * const bias: ResizableBias = bertForMaskedLM.head; // bias [V], setBias
 * ```
 */
export interface ResizableBias {
  /**
   * The bias `[V]`.
   * @example
   * ```ts
   * declare const bias: ResizableBias;
   * bias.bias.shape; // [V]
   * ```
   */
  readonly bias: tf.Variable;
  /**
   * Replaces the bias by a copy of `bias` (any length), keeping the trainable flag.
   * @example
   * ```ts
   * declare const bias: ResizableBias;
   * bias.setBias(tf.concat([bias.bias, tf.zeros([7])]));
   * ```
   */
  setBias(bias: tf.Tensor): void;
}

/**
 * What {@link resizeTokenEmbeddings} needs of a model (Hugging Face's `get_input_embeddings` /
 * `get_output_embeddings`, plus a way to record the new size in its config). Implemented by
 * `GPTCausalLM`, the BERT family (`BertModel` and its task models; `BertForMaskedLM` also has
 * {@link ResizableVocabulary.outputBias}), `T5Seq2SeqLM` (untied `lmHead` for v1.1) and
 * `T5EncoderModel`.
 *
 * @example
 * ```ts
 * declare const gptCausalLM: GPTCausalLM;
 * const owner: ResizableVocabulary = gptCausalLM;
 * ```
 */
export interface ResizableVocabulary {
  /**
   * The token embedding `[V, D]`.
   * @example
   * ```ts
   * declare const owner: ResizableVocabulary;
   * owner.inputEmbeddings().numEmbeddings; // V
   * ```
   */
  inputEmbeddings(): Embedding;
  /**
   * An untied output head, a Linear `[D, V]` (with or without bias); absent or undefined when tied.
   * @example
   * ```ts
   * declare const owner: ResizableVocabulary;
   * owner.outputEmbeddings?.()?.outFeatures; // V, or undefined when tied
   * ```
   */
  outputEmbeddings?(): Linear | undefined;
  /**
   * The own bias `[V]` of a tied head (BERT's masked-LM decoder bias); absent or undefined when
   * there is none. New entries start at 0, as Hugging Face pads it when re-tying the decoder.
   * @example
   * ```ts
   * declare const owner: ResizableVocabulary;
   * owner.outputBias?.()?.bias.shape; // [V]
   * ```
   */
  outputBias?(): ResizableBias | undefined;
  /**
   * Records the new size once the tables were resized (config, `save()`, id checks).
   * @example
   * ```ts
   * declare const owner: ResizableVocabulary;
   * owner.setVocabSize(owner.inputEmbeddings().numEmbeddings);
   * ```
   */
  setVocabSize(vocabSize: number): void;
}

/**
 * Options of {@link resizeTokenEmbeddings}.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * await resizeTokenEmbeddings(model, 50260, { init: 'mean-covariance', seed: 1 } satisfies ResizeTokenEmbeddingsOptions);
 * ```
 */
export interface ResizeTokenEmbeddingsOptions {
  /** How new rows (and head columns) start; see {@link NewRowsInit} (default `mean-covariance`). */
  readonly init?: NewRowsInit;
  /** Seed of the `mean-covariance` draws (default 0). */
  readonly seed?: number;
}

/**
 * Resizes a model's token embedding and, when untied, its output head to `vocabSize` rows
 * (Hugging Face's `resize_token_embeddings`). Growing keeps every old row bitwise and initialises
 * the new ones from the old ones; an untied head grows the same way (new biases at the old
 * biases' mean); a tied head follows the table, and its own bias (BERT's masked-LM decoder,
 * {@link ResizableVocabulary.outputBias}) grows with zeros, as Hugging Face's `_tie_or_clone_weights`
 * pads it. Shrinking keeps the first `vocabSize` rows (and bias entries).
 * Trainable flags are kept; build optimizers after resizing. The model records the new size,
 * so `save()` writes it.
 *
 * @param model - see {@link ResizableVocabulary}
 * @param vocabSize - the new number of rows
 * @param options - init of new rows, seed
 * @throws RangeArgumentError for a size that is not a positive integer or bad `subTokens`;
 *   VocabularyError for a sub-token id outside the old vocabulary
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer, model: GPTCausalLM;
 * const { tokenizer: extended, ids } = addTokens(tokenizer, ['<poem>', '</poem>'], { special: true });
 * await resizeTokenEmbeddings(model, extended.vocabSize);
 * ```
 */
export async function resizeTokenEmbeddings(model: ResizableVocabulary, vocabSize: number, options: ResizeTokenEmbeddingsOptions = {}): Promise<void> {
  assert(Number.isInteger(vocabSize) && vocabSize > 0, RangeArgumentError, () => `vocabSize (${vocabSize}) must be a positive integer`);
  const embedding = model.inputEmbeddings();
  const head = model.outputEmbeddings?.();
  const oldSize = embedding.numEmbeddings;
  const init = options.init ?? 'mean-covariance';
  const seed = options.seed ?? 0;
  if (vocabSize !== oldSize) {
    const table = await resizedRows(embedding.weight, vocabSize, init, seed);
    try {
      embedding.setWeight(table);
    } finally {
      table.dispose();
    }
  }
  if (head instanceof Linear && head.outFeatures !== vocabSize) await resizeHead(head, vocabSize, init, seed + 1);
  const tiedBias = model.outputBias?.();
  if (tiedBias !== undefined && tiedBias.bias.shape[0] !== vocabSize) {
    const bias = tf.tidy(() => paddedBias(tiedBias.bias, vocabSize, () => tf.zeros([vocabSize - tiedBias.bias.shape[0]!])));
    try {
      tiedBias.setBias(bias);
    } finally {
      bias.dispose();
    }
  }
  model.setVocabSize(vocabSize);
}

/** `table` `[V, D]` cut or grown to `[size, D]`, old rows bitwise. */
async function resizedRows(table: tf.Tensor, size: number, init: NewRowsInit, seed: number): Promise<tf.Tensor2D> {
  const rows = table.shape[0] as number;
  if (size < rows) return tf.tidy(() => tf.slice(table, [0, 0], [size, -1]) as tf.Tensor2D);
  const extra = await initNewRows(table, size - rows, init, seed);
  try {
    return tf.concat([table as tf.Tensor2D, extra], 0); // [V, D] + [n, D] -> [size, D]
  } finally {
    extra.dispose();
  }
}

/** Resizes an untied head `[D, V]` (columns = vocabulary) and its bias. */
async function resizeHead(head: Linear, size: number, init: NewRowsInit, seed: number): Promise<void> {
  const transposed = tf.transpose(head.weight); // [D, V] -> [V, D]
  const grown = await resizedRows(transposed, size, init, seed).finally(() => transposed.dispose());
  const old = head.outFeatures;
  const bias = head.bias;
  const { weight, newBias } = tf.tidy(() => ({
    weight: tf.transpose(grown), // [size, D] -> [D, size]
    newBias: bias === undefined ? undefined : paddedBias(bias, size, () => tf.mul(tf.ones([size - old]), tf.mean(bias))),
  }));
  try {
    head.setParameters(weight, newBias);
  } finally {
    tf.dispose([grown, weight, newBias].filter((t): t is tf.Tensor => t !== undefined));
  }
}

/** `bias` `[V]` cut to `[size]`, or followed by `extra()` `[size - V]` (made in the caller's tidy). */
function paddedBias(bias: tf.Tensor, size: number, extra: () => tf.Tensor): tf.Tensor {
  return size < (bias.shape[0] as number) ? tf.slice(bias, [0], [size]) : tf.concat([bias, extra()]);
}
