import * as tf from '@tensorflow/tfjs-core';
import { readModelFolder } from '../../io/model-folder.js';
import type { Module } from '../../layers/module.js';
import { ConfigError } from '../../utils/errors.js';
import { resolveGPTConfig, type GPTConfig, type GPTConfigInput } from './gpt-config.js';
import { gptConfigFromHuggingFace, gptStateDictFromHuggingFace } from './gpt-hf-weights.js';

/** The model_type of folders written before `save` wrote Hugging Face's format. */
const LEGACY_MODEL_TYPE = 'wordforge-gpt';

/**
 * Options of {@link GPTCausalLM.load} and {@link readGPTFolder}.
 * @example
 * ```ts
 * const options: GPTLoadOptions = { gradientCheckpointing: true };
 * const model = await GPTCausalLM.load('checkpoints/gpt2', options);
 * ```
 */
export interface GPTLoadOptions {
  /**
   * Turns on activation recomputation for training the loaded model
   * ({@link GPTConfig.gradientCheckpointing}; Hugging Face's `gradient_checkpointing_enable()`).
   * Default: off. Later {@link GPTCausalLM.setGradientCheckpointing} can change it.
   * @example
   * ```ts
   * const model = await GPTCausalLM.load('checkpoints/gpt2', { gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/**
 * Reads a GPT model folder into the module `build` makes: one {@link GPTCausalLM.save} wrote, a
 * Hugging Face GPT-2 folder (old or new key names), a Trainer checkpoint folder (our parameter
 * names), or a folder of wordforge 0.x (`model_type: "wordforge-gpt"`). Frees every loaded
 * tensor, and the module when the weights do not fit.
 * @param dir - folder with `config.json` and `model.safetensors`
 * @param build - makes the (randomly initialised) module for the folder's config
 * @param options - `gradientCheckpointing` to train with activation recomputation
 * @throws ConfigError for a missing or invalid config, SafetensorsError or StateDictError for the weights
 * @example
 * ```ts
 * const model = await readGPTFolder('checkpoints/gpt2', (config) => new GPTCausalLM(config), { gradientCheckpointing: true });
 * ```
 */
export async function readGPTFolder<M extends Module>(dir: string, build: (config: GPTConfig) => M, options: GPTLoadOptions = {}): Promise<M> {
  const { config, tensors } = await readModelFolder(dir);
  try {
    const { model_type: modelType, ...fields } = config;
    const legacy = modelType === LEGACY_MODEL_TYPE;
    if (!legacy && modelType !== 'gpt2') {
      throw new ConfigError(`${dir}/config.json has model_type ${JSON.stringify(modelType)}, expected "gpt2"`);
    }
    const read = legacy ? resolveGPTConfig(fields as unknown as GPTConfigInput) : gptConfigFromHuggingFace(config);
    const checkpointing = options.gradientCheckpointing;
    const resolved = checkpointing === undefined ? read : resolveGPTConfig({ ...read, gradientCheckpointing: checkpointing });
    // Legacy folders and Trainer checkpoints hold the weights under our own parameter names.
    const ours = legacy || Object.keys(tensors).some((key) => key.startsWith('backbone.'));
    const model = build(resolved);
    try {
      model.loadStateDict(ours ? tensors : gptStateDictFromHuggingFace(tensors, resolved.numLayers));
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
