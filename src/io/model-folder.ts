import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { ConfigError } from '../utils/errors.js';
import { describeJSON, findReservedKey } from '../utils/json-safety.js';
import { loadSafetensors, saveSafetensors } from './safetensors-file.js';

/** File names inside a model folder, as Hugging Face names them. */
export const MODEL_FOLDER_FILES = {
  /** Hyper-parameters as JSON. */
  config: 'config.json',
  /** Weights as safetensors. */
  weights: 'model.safetensors',
} as const;

/** What {@link readModelFolder} returns; the caller disposes the tensors. */
export interface ModelFolderContents {
  /** The parsed `config.json` (validate it with the family's resolver). */
  readonly config: Record<string, unknown>;
  /** The weights by key. */
  readonly tensors: Record<string, tf.Tensor>;
}

/**
 * Writes a model folder: `config.json` and `model.safetensors`, each written atomically (weights
 * first, so a folder whose config exists always has complete weights).
 * @param dir - created if missing
 * @param config - JSON-serialisable hyper-parameters
 * @param tensors - weights by key; read, not disposed
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * await writeModelFolder('out/model', { model_type: 'gpt', ...model.config }, model.stateDict());
 * ```
 */
export async function writeModelFolder(dir: string, config: Record<string, unknown>, tensors: Record<string, tf.Tensor>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveSafetensors(join(dir, MODEL_FOLDER_FILES.weights), tensors, { format: 'pt' });
  await writeFileAtomic(join(dir, MODEL_FOLDER_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Reads a folder written by {@link writeModelFolder} (or a Hugging Face model folder).
 * @throws ConfigError when `config.json` is missing, not a JSON object, or holds a `__proto__`,
 *   `constructor` or `prototype` key at any depth; SafetensorsError for the weights
 * @example
 * ```ts
 * const { config, tensors } = await readModelFolder('out/model');
 * ```
 */
export async function readModelFolder(dir: string): Promise<ModelFolderContents> {
  const configPath = join(dir, MODEL_FOLDER_FILES.config);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read model config '${configPath}': ${(error as Error).message}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`model config '${configPath}' is not valid JSON: ${(error as Error).message}`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`model config '${configPath}' must hold a JSON object, got ${describeJSON(config)}`);
  }
  const reserved = findReservedKey(config);
  if (reserved !== undefined) {
    throw new ConfigError(`model config '${configPath}' has the reserved key '${reserved}' (a prototype-pollution attempt?)`);
  }
  const { tensors } = await loadSafetensors(join(dir, MODEL_FOLDER_FILES.weights));
  return { config: config as Record<string, unknown>, tensors };
}
