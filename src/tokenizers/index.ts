/**
 * Tokenizers: text to token ids and back. Loads no tfjs, so it is also published as the
 * `wordforge/tokenizers` subpath for data preparation and serving code.
 * @module
 */
export { CharTokenizer } from './char-tokenizer.js';
export type { CharTokenizerJSON, CharTokenizerOptions } from './char-tokenizer.js';
export { NormalizedString } from './normalized-string.js';
export type { NormalizedPiece } from './normalized-string.js';
export type { ComponentJSON, Decoder, Model, ModelToken, Normalizer, PostProcessor, PreTokenizer, SourceTexts } from './components.js';
export { concatEncodings, emptyEncoding, padEncoding, specialEncoding, truncateEncoding, truncatePair, truncateWithOverflow, withTypeId } from './encoding.js';
export type { Encoding, PadToken, Side, TruncationOptions } from './encoding.js';
export { lowercase, sequenceNormalizer, unicodeNormalizer } from './normalizers.js';
export type { UnicodeForm } from './normalizers.js';
export { sequencePreTokenizer, whitespace, whitespaceSplit } from './pre-tokenizers.js';
export {
  BYTE_TO_CHAR, GPT2_SPLIT_PATTERN, byteLevelDecoder, byteLevelPreTokenizer, byteLevelProcessor, trimByteLevelOffsets,
} from './byte-level.js';
export type { ByteLevelOptions } from './byte-level.js';
export { BPE } from './bpe.js';
export type { BPEOptions } from './bpe.js';
export { bertProcessing, robertaProcessing, templateProcessing } from './post-processors.js';
export type { RobertaOptions, TemplateOptions, TemplatePiece, TemplateSpecialToken } from './post-processors.js';
export { bpeDecoder, fuseDecoder, sequenceDecoder } from './decoders.js';
export { WordPiece } from './word-piece.js';
export type { WordPieceOptions } from './word-piece.js';
export { bertNormalizer } from './bert-normalizer.js';
export type { BertNormalizerOptions } from './bert-normalizer.js';
export { bertPreTokenizer } from './bert-pre-tokenizer.js';
export { wordPieceDecoder } from './word-piece-decoder.js';
export { stripAccents } from './strip-accents.js';
export { punctuationPreTokenizer } from './punctuation-pre-tokenizer.js';
export { digitsPreTokenizer } from './digits-pre-tokenizer.js';
export { splitWithBehavior } from './split-delimiter-behavior.js';
export type { SplitDelimiterBehavior } from './split-delimiter-behavior.js';
export { bertTokenizer, readBertVocab } from './bert-tokenizer.js';
export { AddedVocabulary } from './added-vocabulary.js';
export type { AddedToken, AddedTokenSplit, ExtractedPiece } from './added-vocabulary.js';
export { Tokenizer } from './tokenizer.js';
export type { TokenizerJSON, TokenizerParts } from './tokenizer.js';
export type { PaddingOptions } from './padding.js';
export { checkInputLength, type DecodeOptions, type EncodeBatchAsyncOptions, type EncodeOptions } from './encode-options.js';
export { readMerges, tokenizerFromJSON } from './tokenizer-from-json.js';
export { gpt2Tokenizer, hasTokenizerFiles, loadTokenizer } from './load-tokenizer.js';
export { loadAnyTokenizer } from './load-any-tokenizer.js';
export { Unigram } from './unigram.js';
export type { UnigramOptions } from './unigram.js';
export { metaspaceDecoder, metaspacePreTokenizer } from './metaspace.js';
export type { MetaspaceOptions, PrependScheme } from './metaspace.js';
export { precompiledNormalizer } from './precompiled.js';
export type { PrecompiledMode, PrecompiledOptions } from './precompiled.js';
export { escapeRegExp, replaceDecoder, replaceNormalizer } from './replace.js';
export type { ReplacePattern } from './replace.js';
export { stripDecoder, stripNormalizer } from './strip.js';
export { prependNormalizer } from './prepend-normalizer.js';
export { byteFallbackDecoder } from './byte-fallback-decoder.js';
export { readProtobufFields } from './protobuf-reader.js';
export type { ProtobufField } from './protobuf-reader.js';
export { readSentencePieceModel } from './sentencepiece-model.js';
export type { SentencePieceModel, SentencePieceType } from './sentencepiece-model.js';
export { sentencePieceTokenizer } from './sentencepiece-tokenizer.js';
export { learnBpe, validateBpeTrainerOptions } from './trainers/bpe-trainer.js';
export type { BpeTrainerOptions, BpeTrainingProgress, LearnedBpe } from './trainers/bpe-trainer.js';
export { trainingSequences, WordCounter } from './trainers/word-counter.js';
export type { TrainingInput } from './trainers/word-counter.js';
export { trainTokenizer } from './trainers/train-tokenizer.js';
export type { TrainTokenizerOptions } from './trainers/train-tokenizer.js';
export { learnUnigram, validateUnigramTrainerOptions } from './trainers/unigram-trainer.js';
export type { LearnedUnigram, UnigramTrainerOptions } from './trainers/unigram-trainer.js';
export { seedUnigramPieces } from './trainers/unigram-seeds.js';
export { splitPreTokenizer } from './split-pre-tokenizer.js';
export type { SplitOptions } from './split-pre-tokenizer.js';
export { sequenceProcessor } from './sequence-processor.js';
export { compileReplacePattern, replacePatternJSON } from './replace.js';
export { applySpecialTokensMap, readSpecialTokensMap } from './special-tokens-map.js';
export type { SpecialTokensMap } from './special-tokens-map.js';
