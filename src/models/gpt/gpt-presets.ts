import type { GPTConfig } from './gpt-config.js';

/** Name of a built-in GPT preset. */
export type GPTPresetName = 'tiny' | 'small' | 'base' | 'gpt2' | 'gpt2-medium';

/** The shape fields a preset fixes; every other field keeps its default. */
export type GPTPreset = Pick<GPTConfig, 'vocabSize' | 'hiddenSize' | 'numLayers' | 'numHeads' | 'contextLength'>;

/**
 * Named GPT shapes. `tiny`, `small` and `base` are the configs of the PyTorch speed reference
 * (`bench/torch_reference.py`); `gpt2` and `gpt2-medium` are OpenAI's 124M- and 355M-parameter
 * GPT-2 shapes (randomly initialised: load trained weights with `GPTCausalLM.fromHuggingFace`). The reference's
 * batch size (8) is a training choice, not part of the model.
 *
 * | preset | V | D | L | H | T | parameters |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | tiny | 512 | 128 | 2 | 4 | 64 | 0.47M |
 * | small | 8192 | 256 | 4 | 4 | 128 | 5.3M |
 * | base | 8192 | 384 | 6 | 6 | 256 | 13.9M |
 * | gpt2 | 50257 | 768 | 12 | 12 | 1024 | 124M |
 * | gpt2-medium | 50257 | 1024 | 24 | 16 | 1024 | 355M |
 *
 * @example
 * ```ts
 * const model = new GPTCausalLM({ ...GPT_PRESETS.small, dropout: 0.1 });
 * ```
 */
export const GPT_PRESETS: Readonly<Record<GPTPresetName, GPTPreset>> = Object.freeze({
  tiny: { vocabSize: 512, hiddenSize: 128, numLayers: 2, numHeads: 4, contextLength: 64 },
  small: { vocabSize: 8192, hiddenSize: 256, numLayers: 4, numHeads: 4, contextLength: 128 },
  base: { vocabSize: 8192, hiddenSize: 384, numLayers: 6, numHeads: 6, contextLength: 256 },
  gpt2: { vocabSize: 50257, hiddenSize: 768, numLayers: 12, numHeads: 12, contextLength: 1024 },
  'gpt2-medium': { vocabSize: 50257, hiddenSize: 1024, numLayers: 24, numHeads: 16, contextLength: 1024 },
});
