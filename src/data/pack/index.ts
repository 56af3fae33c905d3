/**
 * Tokenise and pack: documents to token ids (optionally in worker threads), fixed-length blocks,
 * and a compact binary token cache.
 * @module
 */
export { DocumentTokenizeError, TokenCacheError } from './pack-errors.js';
export { encodeDocument, tokenizerFromSaved, type DocumentTokenizer } from './document-tokenizer.js';
export { tokenizeDocuments, type TokenizeDocumentsOptions, type TokenizeSummary } from './tokenize-documents.js';
export { BlockPacker, type PackedBlock, type PackOptions, type PackSummary } from './block-packer.js';
export { packSequences, type PackSequencesOptions } from './pack-sequences.js';
export { readTokenCache, writeTokenCache, type TokenCache, type TokenCacheSummary } from './token-cache.js';
