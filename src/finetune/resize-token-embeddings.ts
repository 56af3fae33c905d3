import * as tf from '@tensorflow/tfjs-core';
import type { Embedding } from '../layers/embedding.js';
import { Linear } from '../layers/linear.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { initNewRows, type NewRowsInit } from './embedding-init.js';

/**
 * What {@link resizeTokenEmbeddings} needs of a model (Hugging Face's `get_input_embeddings` /
 * `get_output_embeddings`, plus a way to record the new size in its config). `GPTCausalLM`
 * implements it; its head is tied to the input table.
 *
 * @example
 * ```ts
 * const owner: ResizableVocabulary = gptCausalLM;
 * ```
 */
export interface ResizableVocabulary {
  /** The token embedding `[V, D]`. */
  inputEmbeddings(): Embedding;
  /** An untied output head, a Linear `[D, V]` (with or without bias); absent or undefined when tied. */
  outputEmbeddings?(): Linear | undefined;
  /** Records the new size once the tables were resized (config, `save()`, id checks). */
  setVocabSize(vocabSize: number): void;
}

/**
 * Options of {@link resizeTokenEmbeddings}.
 *
 * @example
 * ```ts
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
 * biases' mean); a tied head follows the table. Shrinking keeps the first `vocabSize` rows.
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
    newBias: bias === undefined ? undefined
      : size < old ? tf.slice(bias, [0], [size]) : tf.concat([bias, tf.mul(tf.ones([size - old]), tf.mean(bias))]),
  }));
  try {
    head.setParameters(weight, newBias);
  } finally {
    tf.dispose([grown, weight, newBias].filter((t): t is tf.Tensor => t !== undefined));
  }
}
