import { CharTokenizer } from '../../tokenizers/char-tokenizer.js';
import { tokenizerFromJSON } from '../../tokenizers/tokenizer-from-json.js';

/**
 * What the data pipeline needs of a tokenizer: `encode` returning ids (a `CharTokenizer`) or an
 * encoding with `ids` (a `Tokenizer`), and, to tokenise in worker threads, `toJSON` (its
 * `tokenizer.json` form).
 * @example
 * ```ts
 * const tokenizer: DocumentTokenizer = CharTokenizer.fromText('abc');
 * ```
 */
export interface DocumentTokenizer {
  /**
   * Token ids of one text, or an encoding holding them; `options.addSpecialTokens` is passed on
   * to tokenizers that take it (a `Tokenizer`'s post-processor adds `[CLS]`/`[SEP]` by default).
   */
  encode(text: string, pair?: null, options?: {
    /** Whether the post-processor adds its special tokens. */
    readonly addSpecialTokens?: boolean;
  }): readonly number[] | {
    /** The token ids. */
    readonly ids: readonly number[];
  };
  /** The tokenizer's saved form, from which a worker thread rebuilds it. */
  toJSON?(): unknown;
}

/**
 * The token ids of `text` as an Int32Array, whichever kind of tokenizer encodes it.
 * @param addSpecialTokens - passed to the tokenizer when given; otherwise its default applies
 * @example
 * ```ts
 * encodeDocument(CharTokenizer.fromText('ab'), 'ba'); // Int32Array [1, 0]
 * ```
 */
export function encodeDocument(tokenizer: DocumentTokenizer, text: string, addSpecialTokens?: boolean): Int32Array {
  const encoded = addSpecialTokens === undefined ? tokenizer.encode(text) : tokenizer.encode(text, null, { addSpecialTokens });
  return Int32Array.from('ids' in encoded ? encoded.ids : encoded);
}

/**
 * Rebuilds a tokenizer from its `toJSON()` form: a `CharTokenizer` (`type: 'CharTokenizer'`) or a
 * Hugging Face `tokenizer.json` `Tokenizer`.
 * @param json - the parsed saved form
 * @throws ConfigError / VocabularyError from the tokenizer loaders on malformed input
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const copy = tokenizerFromSaved(JSON.parse(JSON.stringify(tokenizer.toJSON())));
 * ```
 */
export function tokenizerFromSaved(json: unknown): DocumentTokenizer {
  const isChar = typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'CharTokenizer';
  return isChar ? CharTokenizer.fromJSON(json) : tokenizerFromJSON(json);
}
