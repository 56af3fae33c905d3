import { resolveGPTConfig, type GPTConfigInput } from './gpt-config.js';

/**
 * Parameters of a {@link GPTCausalLM} of this config, counted from the shapes without allocating
 * anything (the head is tied to the token embedding, so it adds none), as Hugging Face's
 * `GPT2LMHeadModel.num_parameters()` counts them.
 * @param config - the model's config (resolved with the usual defaults)
 * @returns the number of scalar parameters
 * @throws ConfigError for an invalid config
 * @example
 * ```ts
 * gptParameterCount(GPT_PRESETS.gpt2); // 124439808
 * ```
 */
export function gptParameterCount(config: GPTConfigInput): number {
  const { vocabSize, contextLength, hiddenSize: d, intermediateSize: ff, numLayers } = resolveGPTConfig(config);
  const linear = (inputs: number, outputs: number) => inputs * outputs + outputs;
  const block = 2 * (2 * d) + linear(d, 3 * d) + linear(d, d) + linear(d, ff) + linear(ff, d);
  return vocabSize * d + contextLength * d + numLayers * block + 2 * d;
}
