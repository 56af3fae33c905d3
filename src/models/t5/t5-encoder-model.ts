import * as tf from '@tensorflow/tfjs-core';
import { Embedding } from '../../layers/embedding.js';
import { Module } from '../../layers/module.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import { resolveT5Config, type T5Config, type T5ConfigInput } from './t5-config.js';
import { readT5Folder, writeT5Folder, type T5LoadOptions } from './t5-folder.js';
import { T5Stack } from './t5-stack.js';

/** Options of {@link T5EncoderModel.forward} and {@link T5Model.encode}. */
export interface T5EncodeOptions {
  /** Enables dropout. */
  readonly training: boolean;
  /** `[B, S]` 1 for real tokens, 0 for padding. */
  readonly attentionMask?: tf.Tensor;
}

/**
 * Embeds `inputIds` with `shared` and runs the encoder stack on them: the encoder half of every T5.
 * @param inputIds - `[B, S]` int32 token ids (not range-checked here: that would read the tensor back)
 * @returns `[B, S, D]` encoder output; the caller disposes it
 * @throws ShapeError for ids or a mask of the wrong rank or shape
 * @example
 * ```ts
 * declare const model: T5Model, ids: tf.Tensor2D;
 * const hidden = runT5Encoder(model.shared, model.encoder, ids, { training: false }); // [B, S, D]
 * ```
 */
export function runT5Encoder(shared: Embedding, encoder: T5Stack, inputIds: tf.Tensor, options: T5EncodeOptions): tf.Tensor3D {
  assert(inputIds.rank === 2, ShapeError, () => `inputIds must be [batch, time], got shape [${inputIds.shape}]`);
  const mask = options.attentionMask;
  assert(mask === undefined || tf.util.arraysEqual(mask.shape, inputIds.shape), ShapeError,
    () => `attentionMask [${mask?.shape}] must have the shape of inputIds [${inputIds.shape}]`);
  return tf.tidy(() => encoder.forward(shared.forward(inputIds), {
    training: options.training,
    ...(mask === undefined ? {} : { attentionMask: mask }),
  }).hidden);
}

/**
 * `config` with `vocabSize` rows, once `shared` has them (after a vocabulary resize).
 * @param shared - the resized token embedding
 * @throws ShapeError when `shared` does not have `vocabSize` rows
 * @example
 * ```ts
 * declare const model: T5Model;
 * const config = t5ConfigWithVocabSize(model.shared, model.config, model.shared.numEmbeddings);
 * ```
 */
export function t5ConfigWithVocabSize(shared: Embedding, config: T5Config, vocabSize: number): T5Config {
  const rows = shared.numEmbeddings;
  assert(rows === vocabSize, ShapeError, () => `vocabSize (${vocabSize}) must equal the shared embedding's rows (${rows})`);
  return resolveT5Config({ ...config, vocabSize });
}

/**
 * The T5 encoder alone (Hugging Face `T5EncoderModel`): the shared token embedding and the
 * bidirectional encoder stack, for embeddings and classifiers. Loads the encoder of any T5
 * checkpoint (a full one's decoder and head are skipped) and saves as HF's `T5EncoderModel`.
 *
 * @example
 * ```ts
 * const encoder = await T5EncoderModel.fromHuggingFace('t5-small');
 * const hidden = encoder.forward(tf.tensor2d([[5, 6, 1]], undefined, 'int32'), { training: false }); // [1, 3, 512]
 * ```
 */
export class T5EncoderModel extends Module {
  /** The resolved, frozen configuration. */
  readonly config: T5Config;
  /** Token embedding `[V, D]`. */
  readonly shared: Embedding;
  /** The encoder stack. */
  readonly encoder: T5Stack;

  /** @param config - hyper-parameters; missing fields take {@link T5_CONFIG_DEFAULTS} */
  constructor(config: T5ConfigInput) {
    super();
    this.config = resolveT5Config(config);
    this.shared = new Embedding(this.config.vocabSize, this.config.hiddenSize, { initStd: this.config.initFactor, seed: this.config.seed });
    this.encoder = new T5Stack(this.config, { decoder: false });
  }

  /**
   * The shared token embedding: the table a vocabulary extension resizes.
   * @example
   * ```ts
   * declare const encoder: T5EncoderModel;
   * encoder.inputEmbeddings().numEmbeddings; // encoder.config.vocabSize
   * ```
   */
  inputEmbeddings(): Embedding {
    return this.shared;
  }

  /**
   * Records a new vocabulary size after the shared embedding was resized, so the config and
   * `save()` use it.
   * @throws ShapeError when the shared embedding does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const encoder: T5EncoderModel;
   * encoder.setVocabSize(encoder.inputEmbeddings().numEmbeddings);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    (this as { config: T5Config }).config = t5ConfigWithVocabSize(this.shared, this.config, vocabSize);
  }

  /**
   * Turns activation recomputation in training passes on or off for this encoder as it is, loaded
   * or built (Hugging Face's `gradient_checkpointing_enable()`); see {@link T5Stack.setGradientCheckpointing}.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const encoder = await T5EncoderModel.fromHuggingFace('models/t5-small');
   * encoder.setGradientCheckpointing(true); // encoder.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    (this as { config: T5Config }).config = resolveT5Config({ ...this.config, gradientCheckpointing: enabled });
    this.encoder.setGradientCheckpointing(enabled);
  }

  /**
   * Encoder output for `inputIds`; see {@link runT5Encoder}.
   * @param inputIds - `[B, S]` int32 token ids
   * @returns `[B, S, D]`; the caller disposes it
   */
  forward(inputIds: tf.Tensor, options: T5EncodeOptions): tf.Tensor3D {
    return runT5Encoder(this.shared, this.encoder, inputIds, options);
  }

  /**
   * Saves a Hugging Face `T5EncoderModel` folder (`config.json`, `model.safetensors`) into `dir`.
   * @example
   * ```ts
   * declare const encoder: T5EncoderModel;
   * await encoder.save('out/t5-encoder');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeT5Folder(dir, this, this.config, { encoderOnly: true });
  }

  /**
   * Loads the encoder of a Hugging Face T5 folder (`T5EncoderModel` or a full checkpoint).
   * @param options - `gradientCheckpointing: true` to fine-tune with activation recomputation
   * @throws ConfigError for a missing or unsupported config, SafetensorsError or StateDictError for the weights
   * @example
   * ```ts
   * const encoder = await T5EncoderModel.fromHuggingFace('models/t5-small');
   * ```
   */
  static async fromHuggingFace(dir: string, options: T5LoadOptions = {}): Promise<T5EncoderModel> {
    return readT5Folder(dir, (config) => new T5EncoderModel(config), { ...options, encoderOnly: true });
  }
}
