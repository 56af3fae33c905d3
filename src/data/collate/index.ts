/**
 * Collators: lists of tokenised examples to the typed-array batches of each training objective.
 * @module
 */
export { paddedLength, rowAttentionMask, padRows, type RowPadding } from './pad-rows.js';
export { collatorRng, type CollatorRandomness } from './collator-rng.js';
export { collateCausalLM, type CollateCausalLMOptions, type PromptResponseExample } from './collate-causal-lm.js';
export { maskTokensForMLM, type MaskedTokens, type MaskTokensOptions } from './mask-tokens-for-mlm.js';
export { collateMaskedLM, type CollateMaskedLMOptions, type MaskedLMExample } from './collate-masked-lm.js';
export { collateSeq2Seq, type CollateSeq2SeqOptions, type Seq2SeqPair } from './collate-seq2seq.js';
export {
  noiseSpanCounts, randomSpansNoiseMask, spanCorruptionLengths, type NoiseSpanCounts, type NoiseSpanOptions, type SpanCorruptionLengths,
} from './random-spans-noise-mask.js';
export { collateSpanCorruption, spanCorrupt, type CollateSpanCorruptionOptions, type SpanCorruptionOptions } from './span-corruption.js';
export {
  alignWordLabels, collateClassification, collateTokenClassification,
  type ClassificationExample, type CollateClassificationOptions, type TokenClassificationExample,
} from './collate-classification.js';
