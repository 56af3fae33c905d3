export { GPT_CONFIG_DEFAULTS, resolveGPTConfig, type GPTConfig, type GPTConfigInput } from './gpt-config.js';
export { gptParameterCount } from './gpt-parameter-count.js';
export { gpt2WeightNames } from './gpt-hf-weights.js';
export { GPT_PRESETS, type GPTPreset, type GPTPresetName } from './gpt-presets.js';
export { GPTModel, type GPTForwardOptions, type GPTForwardOutput } from './gpt-model.js';
export { readGPTFolder, type GPTLoadOptions } from './gpt-folder.js';
export { GPTCausalLM, type ConditioningOption, type GPTLogitsInputs, type GPTLogitsOptions } from './gpt-causal-lm.js';
export { disposeGPTCache, gptPositionIds, reorderGPTCache, type GPTGenerationCache } from './gpt-generation-cache.js';
