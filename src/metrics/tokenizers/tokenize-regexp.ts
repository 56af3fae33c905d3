import { splitWhitespace } from './split-whitespace.js';

/**
 * The language-dependent rules of mteval-v13a.pl as sacrebleu's `TokenizerRegexp` applies them,
 * in order (each a global, non-overlapping replacement over code points):
 * 1. pad the ASCII symbols `{|}~ [\]^_\` space !"#$%& ()*+ :;<=>?@ /` with spaces;
 * 2. split `.` and `,` from a preceding non-digit;
 * 3. split `.` and `,` from a following non-digit;
 * 4. split `-` from a preceding digit.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/([{-~\[-`\x20-&(-+:-@/])/gu, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

/**
 * The regular-expression stage shared by sacrebleu's `13a` and `zh` tokenizers
 * (`TokenizerRegexp`): punctuation rules of mteval-v13a.pl, then a whitespace split.
 *
 * @param line - the (already normalised) text
 * @returns the tokens
 * @example
 * ```ts
 * tokenizeRegexp(' It costs $3.50, right? '); // ['It', 'costs', '$', '3.50', ',', 'right', '?']
 * ```
 */
export function tokenizeRegexp(line: string): string[] {
  let text = line;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return splitWhitespace(text);
}
