import { splitWhitespace } from './split-whitespace.js';
import { tokenize13a } from './tokenize-13a.js';
import { tokenizeIntl } from './tokenize-intl.js';
import { tokenizeZh } from './tokenize-zh.js';

/** A BLEU tokenizer: one segment in, its tokens out (sacrebleu's tokenized line, split). */
export type BleuTokenizer = (line: string) => string[];

/** Names of the BLEU tokenizers, as in sacrebleu's `--tokenize` and signatures. */
export type BleuTokenizerName = '13a' | 'intl' | 'zh' | 'char' | 'none';

/**
 * sacrebleu's `char` tokenizer: every character (code point) is a token; whitespace only
 * separates.
 */
function tokenizeChar(line: string): string[] {
  return splitWhitespace(Array.from(line).join(' '));
}

/**
 * The BLEU tokenizers by name, as sacrebleu defines them (Post 2018,
 * https://aclanthology.org/W18-6319/): `13a` (default, mteval-v13a.pl), `intl` (mteval-v14.pl
 * international), `zh` (Chinese characters split, 13a rules for the rest), `char` (one token per
 * character) and `none` (split on whitespace only; for pre-tokenised text).
 *
 * @example
 * ```ts
 * BLEU_TOKENIZERS['13a']('Hello, world!'); // ['Hello', ',', 'world', '!']
 * BLEU_TOKENIZERS.char('ab c'); // ['a', 'b', 'c']
 * ```
 */
export const BLEU_TOKENIZERS: Readonly<Record<BleuTokenizerName, BleuTokenizer>> = Object.freeze({
  '13a': tokenize13a,
  intl: tokenizeIntl,
  zh: tokenizeZh,
  char: tokenizeChar,
  none: splitWhitespace,
});
