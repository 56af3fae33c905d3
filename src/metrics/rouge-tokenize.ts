import { ConfigError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { porterStemmer } from './porter-stemmer.js';

/**
 * How ROUGE splits a text into tokens:
 * - `'default'`: rouge-score's tokenizer, exactly. Lowercase, every run of characters outside
 *   `[a-z0-9]` becomes a space, split on spaces. Letters of other scripts (Chinese, accented
 *   Latin, Cyrillic...) are dropped, so a purely Chinese text has no tokens and scores 0.
 * - `'unicode'`: for Chinese and other scripts. Lowercase and NFKC-normalise (full-width `Ａ１`
 *   becomes `a1`); each Han, Hiragana or Katakana character is a token of its own; every other
 *   run of letters, digits and combining marks of any script is one token (Korean, Cyrillic,
 *   accented Latin keep their words); punctuation and symbols separate tokens and are dropped.
 *   Scripts written without spaces other than CJK (Thai, Khmer...) stay whole runs.
 * - a function `(text) => tokens`: your own tokenizer, used as is (rouge-score's `tokenizer=`).
 */
export type RougeTokenizer = 'default' | 'unicode' | ((text: string) => string[]);

/** Options of {@link rougeTokenize}. */
export interface RougeTokenizeOptions {
  /**
   * Stem tokens with the Porter stemmer (rouge-score's `use_stemmer`). Only tokens made of
   * `[a-z0-9]` and longer than 3 characters are stemmed, as rouge-score does. Default false.
   */
  readonly useStemmer?: boolean;
  /** Which tokenizer; default `'default'` (rouge-score compatible). */
  readonly tokenizer?: RougeTokenizer;
}

const NON_ALPHANUMERIC = /[^a-z0-9]+/g;
const ASCII_TOKEN = /^[a-z0-9]+$/;
// One CJK letter (by Script_Extensions, so that 々 and ー count, but not the punctuation 。、),
// or a run of letters, digits and marks that holds no CJK letter.
const UNICODE_TOKEN =
  /(?=[\p{L}\p{N}])[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}]|(?:(?![\p{scx=Han}\p{scx=Hira}\p{scx=Kana}])[\p{L}\p{N}\p{M}])+/gu;

/** rouge-score's rule: stem only tokens longer than 3 characters. */
function stemToken(token: string): string {
  return token.length > 3 && ASCII_TOKEN.test(token) ? porterStemmer(token) : token;
}

function defaultTokens(text: string): string[] {
  return text.toLowerCase().replace(NON_ALPHANUMERIC, ' ').split(/\s+/);
}

function unicodeTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(UNICODE_TOKEN) ?? [];
}

/**
 * Checks the tokenizer options once, and returns the function that turns one text into ROUGE
 * tokens. `rougeScorer` calls it once, so that the options are validated before any scoring.
 *
 * @param options - tokenizer and stemming choice
 * @returns text -> tokens
 * @throws ConfigError for an unknown tokenizer name, or `useStemmer` with a custom tokenizer
 *   (rouge-score silently ignores `use_stemmer` there; stem inside your function instead)
 * @example
 * ```ts
 * const tokenize = rougeTokenizer({ useStemmer: true });
 * tokenize('The cats are running!'); // ['the', 'cat', 'are', 'run']
 * ```
 */
export function rougeTokenizer(options: RougeTokenizeOptions = {}): (text: string) => string[] {
  const { useStemmer = false, tokenizer = 'default' } = options;
  assert(typeof useStemmer === 'boolean', ConfigError,
    () => `useStemmer must be a boolean, got ${typeof useStemmer} (${String(useStemmer)})`);
  if (typeof tokenizer === 'function') {
    assert(!useStemmer, ConfigError,
      () => 'useStemmer applies to the built-in tokenizers only; stem inside your tokenizer function (porterStemmer is exported)');
    return (text) => {
      const tokens: unknown = tokenizer(text);
      assert(Array.isArray(tokens) && tokens.every((t) => typeof t === 'string'), ConfigError,
        () => `the tokenizer function must return an array of strings, got ${JSON.stringify(tokens)} for ${JSON.stringify(text)}`);
      return tokens;
    };
  }
  assert(tokenizer === 'default' || tokenizer === 'unicode', ConfigError,
    () => `tokenizer must be 'default', 'unicode' or a function, got ${JSON.stringify(tokenizer)}`);
  const split = tokenizer === 'default' ? defaultTokens : unicodeTokens;
  return (text) => {
    const tokens = split(text);
    // The final filter drops the empty strings a split leaves at the ends (rouge-score's check).
    return (useStemmer ? tokens.map(stemToken) : tokens).filter((t) => t.length > 0);
  };
}

/**
 * Splits a text into ROUGE tokens; with the default options exactly as rouge-score's
 * `tokenize.tokenize` (lowercase, keep `[a-z0-9]` runs, optionally Porter-stem tokens of more
 * than 3 characters).
 *
 * @param text - the text
 * @param options - tokenizer and stemming choice, see {@link RougeTokenizer}
 * @returns the tokens
 * @throws ConfigError when `text` is not a string, or for invalid options
 * @example
 * ```ts
 * rougeTokenize('Café au lait, 2 cups');                     // ['caf', 'au', 'lait', '2', 'cups']
 * rougeTokenize('床前明月光', { tokenizer: 'unicode' });      // ['床', '前', '明', '月', '光']
 * ```
 */
export function rougeTokenize(text: string, options: RougeTokenizeOptions = {}): string[] {
  assert(typeof text === 'string', ConfigError,
    () => `rougeTokenize: text must be a string, got ${typeof text} (${String(text)})`);
  return rougeTokenizer(options)(text);
}
