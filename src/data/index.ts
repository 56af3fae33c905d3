export { IGNORE_INDEX, checkTokenIds, validateCausalLMBatch, type CausalLMBatch } from './causal-lm-batch.js';
export { checkWindowOptions, sampleWindows, type SampleWindowsOptions } from './sample-windows.js';
export type { BatchSource } from './batch-source.js';
export { randomWindowSource, type RandomWindowSourceOptions } from './random-window-source.js';
