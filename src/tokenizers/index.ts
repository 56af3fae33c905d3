/**
 * Tokenizers: text to token ids and back. Loads no tfjs, so it is also published as the
 * `wordforge/tokenizers` subpath for data preparation and serving code.
 * @module
 */
export { CharTokenizer } from './char-tokenizer.js';
export type { CharTokenizerJSON, CharTokenizerOptions } from './char-tokenizer.js';
