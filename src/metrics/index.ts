/**
 * Evaluation metrics, identical to their reference implementations: BLEU and chrF as sacrebleu,
 * ROUGE as Google's rouge-score (with the Porter stemmer as NLTK), perplexity and bits per byte,
 * SQuAD exact match and token F1, accuracy, distinct-n and Self-BLEU. Loads no tfjs, so it is also
 * published as the subpath `wordforge/metrics`.
 * @module
 */
export { accuracy } from './accuracy.js';
export { bleu, sentenceBleu, type BleuResult } from './bleu.js';
export { SACREBLEU_VERSION } from './bleu-signature.js';
export { BLEU_DEFAULTS, SENTENCE_BLEU_DEFAULTS, type BleuDefaults, type BleuOptions, type BleuSmoothing, type ResolvedBleuOptions } from './bleu-options.js';
export type { BleuScore } from './bleu-score.js';
export { BootstrapAggregator, type AggregateScore, type BootstrapOptions, type NumericScore } from './bootstrap-aggregator.js';
export { CHRF_DEFAULTS, chrf, sentenceChrf, type ChrfOptions, type ChrfResult } from './chrf.js';
export { distinctN } from './distinct-n.js';
export { exactMatch, normalizeAnswer } from './exact-match.js';
export { NGRAM_SEPARATOR, countNgrams } from './ngrams.js';
export { PerplexityAccumulator, bitsPerByte, bitsPerCharacter, perplexity, slidingWindows, type SlidingWindow } from './perplexity.js';
export { porterStemmer } from './porter-stemmer.js';
export { DEFAULT_ROUGE_TYPES, rouge, rougeScorer, type DefaultRougeType, type RougeOptions, type RougeScore, type RougeType } from './rouge.js';
export { rougeCorpus, type RougeCorpusOptions } from './rouge-corpus.js';
export { rougeMulti } from './rouge-multi.js';
export { rougeTokenize, type RougeTokenizeOptions, type RougeTokenizer } from './rouge-tokenize.js';
export { selfBleu, type SelfBleuResult } from './self-bleu.js';
export { tokenF1 } from './token-f1.js';
export { BLEU_TOKENIZERS, type BleuTokenizer, type BleuTokenizerName } from './tokenizers/bleu-tokenizers.js';
