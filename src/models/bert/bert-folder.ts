import * as tf from '@tensorflow/tfjs-core';
import { readModelFolder, writeModelFolder } from '../../io/model-folder.js';
import type { Module, StateDict } from '../../layers/module.js';
import { resolveBertConfig, type BertConfig } from './bert-config.js';
import { bertConfigFromHuggingFace, bertConfigToHuggingFace, type BertTask } from './bert-hf-config.js';
import { bertStateDictFromHuggingFace, bertStateDictToHuggingFace, type BertFromHuggingFaceOptions } from './bert-hf-weights.js';

/** Options of `fromHuggingFace` / `load` of the BERT-family models. */
export interface BertLoadOptions extends BertFromHuggingFaceOptions {
  /** Overrides the number of labels of the file's config (a new classification head; use with `newHead`). */
  readonly numLabels?: number;
  /** Seed of dropout and of any freshly initialised head (default 0). */
  readonly seed?: number;
  /**
   * Turns on activation recomputation for training the loaded model
   * ({@link BertConfig.gradientCheckpointing}; Hugging Face's `gradient_checkpointing_enable()`).
   * Default: off. Later `setGradientCheckpointing` can change it.
   * @example
   * ```ts
   * const model = await BertForSequenceClassification.fromHuggingFace('bert-tiny', { numLabels: 3, newHead: true, gradientCheckpointing: true });
   * ```
   */
  readonly gradientCheckpointing?: boolean;
}

/**
 * Reads a Hugging Face folder of a BERT, RoBERTa or DistilBERT model into the module `build`
 * makes for `task`; every loaded tensor is freed, and nothing is built when the weights do not match.
 * @param dir - folder with `config.json` and `model.safetensors`
 * @param task - which names to expect (see `bertWeightTable`)
 * @param build - makes the (randomly initialised) module for the resolved config
 * @throws ConfigError for a bad config, SafetensorsError or StateDictError for the weights
 * @example
 * ```ts
 * const model = await readBertFolder('bert-tiny', 'masked-lm', (config) => new BertForMaskedLM(config));
 * ```
 */
export async function readBertFolder<M extends Module>(
  dir: string, task: BertTask, build: (config: BertConfig) => M, options: BertLoadOptions = {},
): Promise<M> {
  const { config, tensors } = await readModelFolder(dir);
  let state: StateDict = {};
  let model: M | undefined;
  try {
    const resolved = resolveBertConfig({
      ...bertConfigFromHuggingFace(config),
      ...(options.numLabels === undefined ? {} : { numLabels: options.numLabels }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.gradientCheckpointing === undefined ? {} : { gradientCheckpointing: options.gradientCheckpointing }),
    });
    state = bertStateDictFromHuggingFace(tensors, resolved, task, options);
    model = build(resolved);
    model.loadStateDict(state, { strict: options.newHead !== true });
    return model;
  } catch (error) {
    model?.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
    tf.dispose(Object.values(state));
  }
}

/**
 * Writes a module as a Hugging Face folder: `config.json` (HF keys, `model_type`, `architectures`
 * of `task`) and `model.safetensors` (HF names, `[out, in]` Linear weights, the tied decoder left
 * out), each file atomically.
 * @param dir - created if missing
 * @param state - the module's state dict (read, not disposed)
 * @example
 * ```ts
 * declare const model: BertForMaskedLM;
 * await writeBertFolder('out/bert', model.stateDict(), model.config, 'masked-lm');
 * ```
 */
export async function writeBertFolder(dir: string, state: StateDict, config: BertConfig, task: BertTask): Promise<void> {
  const { tensors, created } = bertStateDictToHuggingFace(state, config, task);
  try {
    await writeModelFolder(dir, bertConfigToHuggingFace(config, task), tensors);
  } finally {
    tf.dispose(created);
  }
}
