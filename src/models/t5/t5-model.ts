import * as tf from '@tensorflow/tfjs-core';
import { Embedding } from '../../layers/embedding.js';
import type { KVCache } from '../../layers/kv-cache.js';
import { Module } from '../../layers/module.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import { resolveT5Config, type T5Config, type T5ConfigInput } from './t5-config.js';
import { runT5Encoder, t5ConfigWithVocabSize, type T5EncodeOptions } from './t5-encoder-model.js';
import { T5Stack, type T5StackForwardOptions, type T5StackOutput } from './t5-stack.js';

/**
 * The T5 encoder-decoder without a head (Hugging Face `T5Model`): a token embedding shared by
 * both stacks, a bidirectional encoder {@link T5Stack} and a causal decoder {@link T5Stack} that
 * cross-attends to the encoder output. Parameters: `shared.weight`, `encoder.*`, `decoder.*`.
 *
 * @example
 * ```ts
 * const model = new T5Model({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2, intermediateSize: 64 });
 * const encoded = model.encode(tf.tensor2d([[5, 6, 1]], undefined, 'int32'), { training: false }); // [1, 3, 32]
 * const { hidden } = model.decode(tf.tensor2d([[0, 7]], undefined, 'int32'), { training: false, context: encoded }); // [1, 2, 32]
 * ```
 */
export class T5Model extends Module {
  /** The resolved, frozen configuration. */
  readonly config: T5Config;
  /** Token embedding `[V, D]` of both stacks (and the tied head). */
  readonly shared: Embedding;
  /** The encoder stack. */
  readonly encoder: T5Stack;
  /** The decoder stack. */
  readonly decoder: T5Stack;

  /** @param config - hyper-parameters; missing fields take {@link T5_CONFIG_DEFAULTS} */
  constructor(config: T5ConfigInput) {
    super();
    const c = resolveT5Config(config);
    this.config = c;
    this.shared = new Embedding(c.vocabSize, c.hiddenSize, { initStd: c.initFactor, seed: c.seed });
    this.encoder = new T5Stack(c, { decoder: false });
    this.decoder = new T5Stack(c, { decoder: true });
  }

  /**
   * Records a new vocabulary size after the shared embedding was resized (e.g. by the fine-tuning
   * toolkit's `resizeTokenEmbeddings`), so the config and `save()` use it.
   * @param vocabSize - the shared embedding's new number of rows
   * @throws ShapeError when the shared embedding does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const model: T5Model, biggerTable: tf.Tensor2D;
   * model.shared.setWeight(biggerTable);
   * model.setVocabSize(biggerTable.shape[0]);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    (this as { config: T5Config }).config = t5ConfigWithVocabSize(this.shared, this.config, vocabSize);
  }

  /**
   * Turns activation recomputation in training passes on or off ({@link T5Config.gradientCheckpointing})
   * in both stacks, weights untouched: Hugging Face's `gradient_checkpointing_enable()` and
   * `gradient_checkpointing_disable()`, for a loaded checkpoint. Takes effect on the next forward pass.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const model = new T5Model({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2 });
   * model.setGradientCheckpointing(true); // model.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    (this as { config: T5Config }).config = resolveT5Config({ ...this.config, gradientCheckpointing: enabled });
    this.encoder.setGradientCheckpointing(enabled);
    this.decoder.setGradientCheckpointing(enabled);
  }

  /**
   * Runs the encoder.
   * @param inputIds - `[B, S]` int32 token ids (not range-checked here; see {@link T5Seq2SeqLM})
   * @returns `[B, S, D]` encoder output; the caller disposes it
   * @throws ShapeError for ids or a mask of the wrong rank or shape
   */
  encode(inputIds: tf.Tensor, options: T5EncodeOptions): tf.Tensor3D {
    return runT5Encoder(this.shared, this.encoder, inputIds, options);
  }

  /**
   * Runs the decoder on `decoderInputIds` (the new positions only when a cache is given).
   * @param decoderInputIds - `[B, T]` int32 token ids
   * @param options - `context` is the encoder output `[B, S, D]`, `contextMask` the encoder's
   *   attention mask, `attentionMask` the decoder's (see {@link T5StackForwardOptions})
   * @returns `{ hidden: [B, T, D], cache?, crossCache? }`; the caller owns every tensor
   * @throws ShapeError for ids of the wrong rank; ConfigError without encoder output or cache
   */
  decode(decoderInputIds: tf.Tensor, options: T5StackForwardOptions): T5StackOutput {
    assert(decoderInputIds.rank === 2, ShapeError, () => `decoderInputIds must be [batch, time], got shape [${decoderInputIds.shape}]`);
    return tf.tidy(() => this.decoder.forward(this.shared.forward(decoderInputIds), options));
  }
}
