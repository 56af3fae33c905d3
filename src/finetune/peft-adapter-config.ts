import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { describeJSON } from '../utils/json-safety.js';
import type { LoRAConfigInput, LoRAConfig } from './lora-config.js';

/**
 * Fields of PEFT's `adapter_config.json` that {@link savePeftAdapter} writes beyond the LoRA numbers.
 *
 * @example
 * ```ts
 * const fields: PeftConfigFields = { taskType: 'CAUSAL_LM', baseModelNameOrPath: 'gpt2', fanInFanOut: true };
 * ```
 */
export interface PeftConfigFields {
  /** `task_type`, e.g. `CAUSAL_LM`, `SEQ_CLS`, `SEQ_2_SEQ_LM` (default `CAUSAL_LM`). */
  readonly taskType?: string;
  /** `base_model_name_or_path`: the Hub id or folder of the base model (default null). */
  readonly baseModelNameOrPath?: string;
  /**
   * `fan_in_fan_out`: true when the Hugging Face layers store weights `[in, out]` (GPT-2's `Conv1D`),
   * false for `torch.nn.Linear` (BERT, T5, Llama). Default false.
   */
  readonly fanInFanOut?: boolean;
}

/**
 * The `adapter_config.json` object PEFT writes for a LoRA adapter (PEFT >= 0.7 fields; older
 * versions ignore the ones they do not know).
 *
 * @param config - the adapter's resolved configuration
 * @param targetModules - Hugging Face module names of the adapted layers (written as a list)
 * @param fields - task type, base model, fan_in_fan_out
 * @returns the JSON object
 * @example
 * ```ts
 * declare const lora: LoRAModel;
 * peftAdapterConfigJSON(lora.adapter('default').config, ['transformer.h.0.attn.c_attn'], { fanInFanOut: true });
 * ```
 */
export function peftAdapterConfigJSON(config: LoRAConfig, targetModules: readonly string[], fields: PeftConfigFields = {}): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: fields.taskType ?? 'CAUSAL_LM',
    base_model_name_or_path: fields.baseModelNameOrPath ?? null,
    r: config.rank,
    lora_alpha: config.alpha,
    lora_dropout: config.dropout,
    target_modules: [...targetModules],
    fan_in_fan_out: fields.fanInFanOut ?? false,
    bias: 'none',
    use_rslora: config.useRsLoRA,
    use_dora: false,
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    revision: null,
  };
}

/**
 * Reads the LoRA numbers of a PEFT `adapter_config.json`, rejecting what wordforge's LoRA does not
 * implement (DoRA, per-layer rank or alpha patterns, trained biases, other PEFT methods).
 *
 * @param json - the parsed file
 * @param source - where it came from, for messages
 * @returns rank, alpha, dropout and rsLoRA flag
 * @throws ConfigError naming the offending field and value
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * loraConfigFromPeft(JSON.parse(readFileSync('adapter/adapter_config.json', 'utf8')), 'adapter').rank;
 * ```
 */
export function loraConfigFromPeft(json: unknown, source: string): LoRAConfigInput {
  assert(json !== null && typeof json === 'object' && !Array.isArray(json), ConfigError,
    () => `${source}: adapter_config.json must hold an object, got ${describeJSON(json)}`);
  const c = json as Record<string, unknown>;
  const field = (ok: boolean, name: string, expected: string): void =>
    assert(ok, ConfigError, () => `${source}: adapter_config.json ${name} is ${describeJSON(c[name])}, expected ${expected}`);
  field(c.peft_type === 'LORA', 'peft_type', '"LORA"');
  field(Number.isInteger(c.r) && (c.r as number) > 0, 'r', 'a positive integer');
  field(c.lora_alpha === undefined || Number.isFinite(c.lora_alpha), 'lora_alpha', 'a number');
  field(c.lora_dropout === undefined || (typeof c.lora_dropout === 'number' && c.lora_dropout >= 0 && c.lora_dropout < 1), 'lora_dropout', 'a number in [0, 1)');
  field(c.use_dora === undefined || c.use_dora === false, 'use_dora', 'false (DoRA is not supported)');
  field(c.bias === undefined || c.bias === 'none', 'bias', '"none" (trained biases are not supported)');
  for (const name of ['rank_pattern', 'alpha_pattern'] as const) {
    const value = c[name];
    field(value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0), name, 'empty');
  }
  field(c.use_rslora === undefined || typeof c.use_rslora === 'boolean', 'use_rslora', 'a boolean');
  return {
    rank: c.r as number,
    alpha: (c.lora_alpha ?? 8) as number,
    dropout: (c.lora_dropout ?? 0) as number,
    useRsLoRA: (c.use_rslora ?? false) as boolean,
  };
}
