import * as tf from '@tensorflow/tfjs-core';
import { readModelFolder, writeModelFolder } from '../../io/model-folder.js';
import type { Module, StateDict } from '../../layers/module.js';
import { resolveT5Config, type T5Config } from './t5-config.js';
import { t5ConfigFromHuggingFace, t5ConfigToHuggingFace, t5StateDictFromHuggingFace, t5StateDictToHuggingFace, type T5WeightNameOptions } from './t5-hf-weights.js';

/** A T5 model {@link readT5Folder} can build: a Module that knows its config. */
export interface T5Module extends Module {
  /** The model's resolved configuration. */
  readonly config: T5Config;
}

/**
 * Options of the T5 models' `fromHuggingFace` and `load`.
 * @example
 * ```ts
 * const options: T5LoadOptions = { gradientCheckpointing: true };
 * const encoder = await T5EncoderModel.fromHuggingFace('models/t5-small', options);
 * ```
 */
export interface T5LoadOptions {
  /**
   * Turns on activation recomputation for training the loaded model
   * ({@link T5Config.gradientCheckpointing}; Hugging Face's `gradient_checkpointing_enable()`).
   * Default: off. Later `setGradientCheckpointing` can change it.
   * @example
   * ```ts
   * const model = await T5Seq2SeqLM.load('models/t5-small', { gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/**
 * Reads a Hugging Face T5 folder (`config.json` + `model.safetensors`), or a Trainer checkpoint
 * (the same `config.json`, weights under our parameter names), into a new model built by
 * `create`; frees every loaded tensor, and the model if its weights do not fit.
 * @param dir - the folder
 * @param create - builds the (randomly initialised) model for the folder's config
 * @param options - `encoderOnly` for a {@link T5EncoderModel}; `gradientCheckpointing` to train with activation recomputation
 * @throws ConfigError for a missing or unsupported config, SafetensorsError or StateDictError for the weights
 * @example
 * ```ts
 * const model = await readT5Folder('t5-small', (config) => new T5Seq2SeqLM(config));
 * ```
 */
export async function readT5Folder<M extends T5Module>(
  dir: string, create: (config: T5Config) => M, options: T5WeightNameOptions & T5LoadOptions = {},
): Promise<M> {
  const { config: hf, tensors } = await readModelFolder(dir);
  let converted: StateDict | undefined;
  try {
    const read = t5ConfigFromHuggingFace(hf);
    const checkpointing = options.gradientCheckpointing;
    const model = create(checkpointing === undefined ? read : resolveT5Config({ ...read, gradientCheckpointing: checkpointing }));
    try {
      // Trainer checkpoints hold the weights under our own parameter names (HF's and ours share only `shared.weight`).
      const own = new Set(model.namedParameters().map(([name]) => name));
      const ours = Object.keys(tensors).some((key) => key !== 'shared.weight' && own.has(key));
      converted = ours ? undefined : t5StateDictFromHuggingFace(tensors, model.config, options);
      model.loadStateDict(converted ?? tensors);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } finally {
    tf.dispose([...Object.values(tensors), ...Object.values(converted ?? {})]);
  }
}

/**
 * Writes a model as a Hugging Face T5 folder (created if missing), atomically: `config.json` and
 * `model.safetensors` with HF names and layouts.
 * @param dir - the folder
 * @param model - the model whose `stateDict()` is saved
 * @param config - its config
 * @param options - `encoderOnly` for a {@link T5EncoderModel} (saved as HF's `T5EncoderModel`)
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * await writeT5Folder('out/t5', model, model.config);
 * ```
 */
export async function writeT5Folder(dir: string, model: Module, config: T5Config, options: T5WeightNameOptions = {}): Promise<void> {
  const tensors = t5StateDictToHuggingFace(model.stateDict(), config, options);
  try {
    const architecture = options.encoderOnly === true ? 'T5EncoderModel' : 'T5ForConditionalGeneration';
    await writeModelFolder(dir, t5ConfigToHuggingFace(config, architecture), tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
