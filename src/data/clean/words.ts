/** Characters written without spaces between words: each counts as one word. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_OR_SPACE = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])|\s+/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * Splits text into words, CJK-aware: whitespace separates words, and every Han, Hiragana or
 * Katakana character is a word of its own (Chinese and Japanese do not use spaces). Tokens
 * without a letter or digit (punctuation, symbols) are not words.
 * @param text - any text
 * @example
 * ```ts
 * splitWords('Hello, world — 你好世界!'); // ['Hello,', 'world', '你', '好', '世', '界']
 * ```
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const piece of text.split(CJK_OR_SPACE)) {
    if (piece !== undefined && piece !== '' && WORDLIKE.test(piece)) words.push(piece);
  }
  return words;
}

/**
 * The number of words in text, as {@link splitWords} counts them (CJK characters one each).
 * @param text - any text
 * @example
 * ```ts
 * countWords('床前明月光 moonlight'); // 6
 * ```
 */
export function countWords(text: string): number {
  return splitWords(text).length;
}

/**
 * Whether a character is Han, Hiragana or Katakana (written without spaces between words).
 * @param char - one character
 * @example
 * ```ts
 * isCjkCharacter('光'); // true
 * ```
 */
export function isCjkCharacter(char: string): boolean {
  return CJK.test(char);
}
