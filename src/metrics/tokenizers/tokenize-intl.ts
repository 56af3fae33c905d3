import { splitWhitespace } from './split-whitespace.js';

/**
 * The rules of mteval-v14.pl's international tokenisation as sacrebleu's
 * `TokenizerV14International` applies them, in order: split punctuation (`\p{P}`) from a
 * preceding non-number (`\P{N}`), split punctuation from a following non-number, pad symbols
 * (`\p{S}`) with spaces.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

/**
 * sacrebleu's `intl` BLEU tokenizer (mteval-v14.pl `--international-tokenization`): splits on
 * Unicode punctuation and symbols except punctuation between digits (`3.5`, `1,000`). As in
 * mteval-v14.pl and sacrebleu, a number followed by a final dot keeps the dot (`2019.`), and
 * escaped entities such as `&amp;` are not unescaped. Categories come from the JavaScript
 * engine's Unicode tables, which may be a newer Unicode version than Python's `regex` module.
 *
 * @param line - one segment
 * @returns its tokens
 * @example
 * ```ts
 * tokenizeIntl('Hello, «world»! 1,000.'); // ['Hello', ',', '«', 'world', '»', '!', '1,000.']
 * ```
 */
export function tokenizeIntl(line: string): string[] {
  let text = line;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return splitWhitespace(text);
}
