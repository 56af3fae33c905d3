import type { PreTokenizer } from './components.js';
import type { NormalizedString } from './normalized-string.js';

/**
 * The pieces of `input` that `pattern` (global) matches, each keeping its alignments; the text
 * between them is dropped. Shared by the regex-based pre-tokenizers.
 * @example
 * ```ts
 * keepMatches(NormalizedString.from('a b'), /\S+/gu).map((w) => w.text); // ['a', 'b']
 * ```
 */
export function keepMatches(input: NormalizedString, pattern: RegExp): NormalizedString[] {
  return [...input.text.matchAll(pattern)].map((m) => input.slice(m.index, m.index + m[0].length));
}

/** Rust's Unicode `\w`, which JavaScript's `\w` (ASCII only) is not. */
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
const WORD_OR_SYMBOLS = new RegExp(String.raw`[${WORD}]+|[^${WORD}\p{White_Space}]+`, 'gu');
const NON_SPACE = /\P{White_Space}+/gu;

/**
 * Splits into runs of word characters and runs of other non-space characters (`\w+|[^\w\s]+` with
 * Unicode classes), dropping whitespace. (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Whitespace)
 * @example
 * ```ts
 * whitespace().split(NormalizedString.from("it's")).map((w) => w.text); // ['it', "'", 's']
 * ```
 */
export function whitespace(): PreTokenizer {
  return { split: (input) => keepMatches(input, WORD_OR_SYMBOLS), splitsOnSpaces: true, toJSON: () => ({ type: 'Whitespace' }) };
}

/**
 * Splits on Unicode whitespace, dropping it. (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.WhitespaceSplit)
 * @example
 * ```ts
 * whitespaceSplit().split(NormalizedString.from("it's ok")).map((w) => w.text); // ["it's", 'ok']
 * ```
 */
export function whitespaceSplit(): PreTokenizer {
  return { split: (input) => keepMatches(input, NON_SPACE), splitsOnSpaces: true, toJSON: () => ({ type: 'WhitespaceSplit' }) };
}

/**
 * Runs pre-tokenizers one after the other, each on every piece the previous one produced.
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Sequence)
 * @example
 * ```ts
 * sequencePreTokenizer([whitespaceSplit(), byteLevelPreTokenizer({ useRegex: false })]);
 * ```
 */
export function sequencePreTokenizer(preTokenizers: readonly PreTokenizer[]): PreTokenizer {
  return {
    split: (input) => preTokenizers.reduce((pieces, p) => pieces.flatMap((piece) => p.split(piece)), [input]),
    toJSON: () => ({ type: 'Sequence', pretokenizers: preTokenizers.map((p) => p.toJSON()) }),
  };
}
