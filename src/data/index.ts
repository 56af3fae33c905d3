export { IGNORE_INDEX, checkTokenIds, validateCausalLMBatch, type CausalLMBatch } from './causal-lm-batch.js';
export { sampleWindows, type SampleWindowsOptions } from './sample-windows.js';
