import * as tf from '@tensorflow/tfjs-core';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSafetensors, saveSafetensors } from '../io/safetensors-file.js';
import { Linear } from '../layers/linear.js';
import type { Module } from '../layers/module.js';
import { assert } from '../utils/assert.js';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { ConfigError, StateDictError } from '../utils/errors.js';
import type { LoRAModel, LoRAAdapter } from './lora-model.js';
import { namedModules } from './named-modules.js';
import { loraConfigFromPeft, peftAdapterConfigJSON, type PeftConfigFields } from './peft-adapter-config.js';

/**
 * File names of a PEFT adapter folder.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * join('out/adapter', PEFT_ADAPTER_FILES.config); // 'out/adapter/adapter_config.json'
 * ```
 */
export const PEFT_ADAPTER_FILES = {
  /** The adapter's hyper-parameters. */
  config: 'adapter_config.json',
  /** `lora_A` / `lora_B` weights under PEFT key names. */
  weights: 'adapter_model.safetensors',
} as const;

/**
 * How our parameter names relate to Hugging Face's, shared by save and load.
 *
 * @example
 * ```ts
 * const names: PeftNameOptions = { huggingFaceNames: gpt2WeightNames(12) };
 * ```
 */
export interface PeftNameOptions {
  /**
   * The model family's weight-name table, Hugging Face parameter name -> ours (e.g.
   * `gpt2WeightNames(numLayers)`): `transformer.h.0.attn.c_attn.weight` -> `backbone.blocks.0.attn.qkv.weight`.
   */
  readonly huggingFaceNames: ReadonlyMap<string, string>;
  /** Prefix of PEFT keys before the Hugging Face module name (default `base_model.model.`). */
  readonly prefix?: string;
}

/**
 * Options of {@link savePeftAdapter}.
 *
 * @example
 * ```ts
 * const options: SavePeftAdapterOptions = { huggingFaceNames: gpt2WeightNames(12), fanInFanOut: true, adapter: 'poems' };
 * ```
 */
export interface SavePeftAdapterOptions extends PeftNameOptions, PeftConfigFields {
  /** Which adapter (default: the active one). */
  readonly adapter?: string;
}

/**
 * Options of {@link loadPeftAdapter}.
 *
 * @example
 * ```ts
 * const options: LoadPeftAdapterOptions = { huggingFaceNames: gpt2WeightNames(12), adapterName: 'poems' };
 * ```
 */
export interface LoadPeftAdapterOptions extends PeftNameOptions {
  /** Name of the new adapter (default `default`, as PEFT). */
  readonly adapterName?: string;
}

const DEFAULT_PREFIX = 'base_model.model.';

/**
 * Saves one adapter as PEFT does (`save_pretrained`): `adapter_config.json` and
 * `adapter_model.safetensors` with keys `base_model.model.<hf module>.lora_A.weight` `[r, in]` and
 * `...lora_B.weight` `[out, r]` (torch `nn.Linear` layout whatever `fan_in_fan_out` says), so
 * `PeftModel.from_pretrained(base, dir)` loads it.
 *
 * @param lora - the model holding the adapter
 * @param dir - created if missing
 * @param options - the family's name table, adapter name, config fields
 * @throws ConfigError for an unknown adapter; StateDictError when an adapted layer has no Hugging Face name
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * await savePeftAdapter(lora, 'out/adapter', { huggingFaceNames: gpt2WeightNames(2), fanInFanOut: true, baseModelNameOrPath: 'gpt2' });
 * ```
 */
export async function savePeftAdapter(lora: LoRAModel, dir: string, options: SavePeftAdapterOptions): Promise<void> {
  const name = options.adapter ?? lora.activeAdapter;
  assert(name !== undefined, ConfigError, () => 'the LoRAModel has no adapter to save');
  const { config, layers } = lora.adapter(name);
  const toHF = new Map([...options.huggingFaceNames].map(([hf, ours]) => [ours, hf]));
  const modules = [...layers.keys()].map((path) => [path, toHF.get(`${path}.weight`)] as const);
  const unnamed = modules.filter(([, hf]) => hf === undefined || !hf.endsWith('.weight')).map(([path]) => path);
  assert(unnamed.length === 0, StateDictError, () => `no Hugging Face name for the adapted layer(s) ${unnamed.join(', ')}`);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const hfModules = modules.map(([, hf]) => (hf as string).slice(0, -'.weight'.length));
  const tensors = tf.tidy(() => Object.fromEntries([...layers.values()].flatMap((layer, i) => [
    [`${prefix}${hfModules[i]}.lora_A.weight`, tf.transpose(layer.loraA)], // [in, r] -> [r, in]
    [`${prefix}${hfModules[i]}.lora_B.weight`, tf.transpose(layer.loraB)], // [r, out] -> [out, r]
  ])));
  try {
    await mkdir(dir, { recursive: true });
    await saveSafetensors(join(dir, PEFT_ADAPTER_FILES.weights), tensors, { format: 'pt' });
  } finally {
    tf.dispose(Object.values(tensors));
  }
  const json = peftAdapterConfigJSON(config, hfModules, options);
  await writeFileAtomic(join(dir, PEFT_ADAPTER_FILES.config), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Loads a PEFT LoRA adapter folder (written by {@link savePeftAdapter} or by Python PEFT) as a new
 * adapter of `lora`. Keys may carry the adapter name (`lora_A.default.weight`) or not. Every key
 * and shape is checked against the base before anything is created.
 *
 * @param lora - the model to add the adapter to
 * @param dir - folder with `adapter_config.json` and `adapter_model.safetensors`
 * @param options - the family's name table, the new adapter's name
 * @returns the new adapter (active if it is the first)
 * @throws ConfigError for a missing or unsupported config; SafetensorsError for an unreadable file;
 *   StateDictError listing unknown keys, unpaired A/B, and shapes that do not match the base
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * await loadPeftAdapter(lora, 'out/adapter', { huggingFaceNames: gpt2WeightNames(2), adapterName: 'poems' });
 * ```
 */
export async function loadPeftAdapter(lora: LoRAModel, dir: string, options: LoadPeftAdapterOptions): Promise<LoRAAdapter> {
  const configPath = join(dir, PEFT_ADAPTER_FILES.config);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read PEFT adapter config '${configPath}': ${(error as Error).message}`);
  }
  const config = loraConfigFromPeft(json, dir);
  const { tensors } = await loadSafetensors(join(dir, PEFT_ADAPTER_FILES.weights));
  try {
    const weights = matchPeftWeights(lora.base, tensors, config.rank as number, options);
    const name = options.adapterName ?? 'default';
    const adapter = lora.addAdapter(name, { ...config, targetModules: [(path) => weights.has(path)] });
    tf.tidy(() => {
      for (const [path, layer] of adapter.layers) {
        const { a, b } = weights.get(path) as { a: tf.Tensor; b: tf.Tensor };
        layer.loraA.assign(tf.transpose(a)); // [r, in] -> [in, r]
        layer.loraB.assign(tf.transpose(b)); // [out, r] -> [r, out]
      }
    });
    return adapter;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Pairs PEFT tensors by our Linear path, checking keys and shapes; reports every problem at once. */
function matchPeftWeights(
  base: Module,
  tensors: Record<string, tf.Tensor>,
  rank: number,
  options: PeftNameOptions,
): Map<string, { a: tf.Tensor; b: tf.Tensor }> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const linears = new Map(namedModules(base).filter((e): e is [string, Linear] => e[1] instanceof Linear));
  const pairs = new Map<string, { a?: tf.Tensor; b?: tf.Tensor; hf: string }>();
  const problems: string[] = [];
  for (const [key, tensor] of Object.entries(tensors)) {
    const match = /^(.+)\.lora_([AB])(?:\.[^.]+)?\.weight$/.exec(key.startsWith(prefix) ? key.slice(prefix.length) : key);
    const ours = match ? options.huggingFaceNames.get(`${match[1]}.weight`) : undefined;
    const path = ours?.endsWith('.weight') ? ours.slice(0, -'.weight'.length) : undefined;
    if (!match || path === undefined || !linears.has(path)) {
      problems.push(`unexpected key ${key}`);
      continue;
    }
    const pair = pairs.get(path) ?? { hf: match[1] as string };
    if (match[2] === 'A') pair.a = tensor;
    else pair.b = tensor;
    pairs.set(path, pair);
  }
  for (const [path, { a, b, hf }] of pairs) {
    const linear = linears.get(path) as Linear;
    if (a === undefined || b === undefined) problems.push(`${hf}: lora_${a ? 'B' : 'A'} is missing`);
    if (a && !tf.util.arraysEqual(a.shape, [rank, linear.inFeatures])) {
      problems.push(`${hf}.lora_A.weight: shape [${a.shape}] does not match [r, in] = [${rank}, ${linear.inFeatures}]`);
    }
    if (b && !tf.util.arraysEqual(b.shape, [linear.outFeatures, rank])) {
      problems.push(`${hf}.lora_B.weight: shape [${b.shape}] does not match [out, r] = [${linear.outFeatures}, ${rank}]`);
    }
  }
  if (pairs.size === 0 && problems.length === 0) problems.push('the file holds no LoRA weights');
  if (problems.length > 0) throw new StateDictError(`cannot load PEFT adapter: ${problems.join('; ')}`);
  return pairs as Map<string, { a: tf.Tensor; b: tf.Tensor; hf: string }>;
}
