export { T5_CONFIG_DEFAULTS, resolveT5Config, type T5Config, type T5ConfigInput } from './t5-config.js';
export { T5RelativePositionBias, t5RelativePositionBucket, type T5RelativePositionBiasOptions } from './t5-relative-position-bias.js';
export { T5Stack, type T5StackForwardOptions, type T5StackOutput } from './t5-stack.js';
export { T5Model, type T5EncodeOptions } from './t5-model.js';
export { t5ConfigFromHuggingFace, t5ConfigToHuggingFace, t5StateDictFromHuggingFace, t5StateDictToHuggingFace, t5WeightNames, type T5WeightName } from './t5-hf-weights.js';
export { disposeT5Cache, reorderT5Cache, type T5DecoderCache } from './t5-decoder-cache.js';
export { t5EncoderInputs, type T5EncoderInputs } from './t5-encoder-inputs.js';
export { t5ShiftRight } from './t5-shift-right.js';
export { T5Seq2SeqLM, type T5GenerateOptions, type T5LogitsInputs } from './t5-seq2seq-lm.js';
