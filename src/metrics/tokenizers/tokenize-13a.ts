import { tokenizeRegexp } from './tokenize-regexp.js';

/** The HTML entities mteval-v13a.pl unescapes, in the order sacrebleu replaces them. */
const ENTITIES: ReadonlyArray<readonly [string, string]> = [
  ['&quot;', '"'],
  ['&amp;', '&'],
  ['&lt;', '<'],
  ['&gt;', '>'],
];

/**
 * sacrebleu's default BLEU tokenizer `13a`, equivalent to mteval-v13a.pl used by WMT: drops
 * `<skipped>`, joins `-\n` hyphenations, turns newlines into spaces, unescapes `&quot;`, `&amp;`,
 * `&lt;`, `&gt;` (in that order), pads the line with spaces and applies {@link tokenizeRegexp}.
 * See Post 2018, https://aclanthology.org/W18-6319/.
 *
 * @param line - one segment
 * @returns its tokens
 * @example
 * ```ts
 * tokenize13a('The dog bit the man.'); // ['The', 'dog', 'bit', 'the', 'man', '.']
 * ```
 */
export function tokenize13a(line: string): string[] {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    for (const [entity, char] of ENTITIES) text = text.replaceAll(entity, char);
  }
  return tokenizeRegexp(` ${text} `);
}
