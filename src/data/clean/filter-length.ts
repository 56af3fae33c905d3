import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import type { CleaningStep } from './cleaning-step.js';
import { countWords } from './words.js';

/**
 * Options of {@link filterLength}; every bound is optional and inclusive.
 * @example
 * ```ts
 * const options: FilterLengthOptions = { minWords: 50, maxWords: 100_000 };
 * ```
 */
export interface FilterLengthOptions {
  /** Fewest characters (Unicode code points). */
  readonly minChars?: number;
  /** Most characters (Unicode code points). */
  readonly maxChars?: number;
  /** Fewest words, counted CJK-aware by {@link countWords} (each Han or kana character is a word). */
  readonly minWords?: number;
  /** Most words, counted like `minWords`. */
  readonly maxWords?: number;
  /** Fewest tokens, counted by `countTokens` (required with a token bound). */
  readonly minTokens?: number;
  /** Most tokens, counted by `countTokens`. */
  readonly maxTokens?: number;
  /** Counts a document's tokens, e.g. `(text) => tokenizer.encode(text).length`. */
  readonly countTokens?: (text: string) => number;
}

type Bound = 'minChars' | 'maxChars' | 'minWords' | 'maxWords' | 'minTokens' | 'maxTokens';
const BOUNDS: readonly Bound[] = ['minChars', 'maxChars', 'minWords', 'maxWords', 'minTokens', 'maxTokens'];

function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // low surrogates continue a code point
  }
  return n;
}

/**
 * Removes documents whose length in characters, words or tokens lies outside the bounds. Reasons:
 * `too-few-chars`, `too-many-chars`, `too-few-words`, `too-many-words`, `too-few-tokens`,
 * `too-many-tokens` (the first bound failed is reported). Gopher keeps documents of 50 to 100,000
 * words.
 * @param options - the bounds, and a token counter when bounding tokens
 * @example
 * ```ts
 * declare const docs: string[], tokenizer: Tokenizer;
 * cleanDocuments(docs, [filterLength({ minWords: 50, maxWords: 100_000 })]);
 * cleanDocuments(docs, [filterLength({ maxTokens: 2048, countTokens: (t) => tokenizer.encode(t).ids.length })]);
 * ```
 */
export function filterLength(options: FilterLengthOptions): CleaningStep {
  for (const bound of BOUNDS) {
    const value = options[bound];
    assert(value === undefined || (Number.isFinite(value) && value >= 0), RangeArgumentError,
      () => `${bound} (${value}) must be a non-negative number`);
  }
  const { minChars = 0, maxChars = Infinity, minWords = 0, maxWords = Infinity, minTokens = 0, maxTokens = Infinity, countTokens } = options;
  assert(minChars <= maxChars && minWords <= maxWords && minTokens <= maxTokens, RangeArgumentError,
    () => `each minimum must not exceed its maximum (chars ${minChars}..${maxChars}, words ${minWords}..${maxWords}, tokens ${minTokens}..${maxTokens})`);
  const boundsTokens = options.minTokens !== undefined || options.maxTokens !== undefined;
  assert(!boundsTokens || typeof countTokens === 'function', ConfigError, () => 'minTokens/maxTokens need countTokens: (text) => number');
  const boundsChars = minChars > 0 || maxChars < Infinity;
  const boundsWords = minWords > 0 || maxWords < Infinity;
  return {
    name: 'filterLength',
    apply: (text) => {
      if (boundsChars) {
        const chars = countCodePoints(text);
        if (chars < minChars) return { removed: 'too-few-chars' };
        if (chars > maxChars) return { removed: 'too-many-chars' };
      }
      if (boundsWords) {
        const words = countWords(text);
        if (words < minWords) return { removed: 'too-few-words' };
        if (words > maxWords) return { removed: 'too-many-words' };
      }
      if (boundsTokens) {
        const tokens = countTokens!(text);
        if (tokens < minTokens) return { removed: 'too-few-tokens' };
        if (tokens > maxTokens) return { removed: 'too-many-tokens' };
      }
      return text;
    },
  };
}
