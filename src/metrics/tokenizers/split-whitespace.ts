/**
 * Python's whitespace, the characters `str.split()` and `str.strip()` break on: ASCII \t-\r,
 * \x1c-\x1f and space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and
 * U+3000. It differs from JavaScript's `\s`, which lacks \x1c-\x1f and U+0085 and adds U+FEFF.
 */
const PY_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const NON_SPACE_RUN = new RegExp(`[^${PY_SPACE}]+`, 'gu');
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, 'u');
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, 'u');
const ANY_SPACE = new RegExp(`[${PY_SPACE}]+`, 'gu');

/**
 * Splits a string on runs of whitespace and drops empty pieces, exactly as Python's
 * `str.split()` without arguments (the tokenisation step of sacrebleu and NLTK).
 *
 * @param text - the string to split
 * @returns the non-whitespace pieces in order
 * @example
 * ```ts
 * splitWhitespace('  a\u0085b  c '); // ['a', 'b', 'c']
 * ```
 */
export function splitWhitespace(text: string): string[] {
  return text.match(NON_SPACE_RUN) ?? [];
}

/**
 * Removes all whitespace (Python's definition, see {@link splitWhitespace}), as
 * `''.join(text.split())` does in sacrebleu's chrF.
 *
 * @param text - the string to squeeze
 * @returns `text` without whitespace
 * @example
 * ```ts
 * removeWhitespace(' a b\tc '); // 'abc'
 * ```
 */
export function removeWhitespace(text: string): string {
  return text.replace(ANY_SPACE, '');
}

/**
 * Removes trailing whitespace, as Python's `str.rstrip()`.
 *
 * @param text - the string to trim
 * @returns `text` without trailing whitespace
 * @example
 * ```ts
 * rstripWhitespace('a b \n'); // 'a b'
 * ```
 */
export function rstripWhitespace(text: string): string {
  return text.replace(TRAILING_SPACE, '');
}

/**
 * Removes leading and trailing whitespace, as Python's `str.strip()`.
 *
 * @param text - the string to trim
 * @returns `text` without leading or trailing whitespace
 * @example
 * ```ts
 * stripWhitespace('\u3000a b\n'); // 'a b'
 * ```
 */
export function stripWhitespace(text: string): string {
  return rstripWhitespace(text).replace(LEADING_SPACE, '');
}
