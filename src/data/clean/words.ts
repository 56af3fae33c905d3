/** Characters written without spaces between words: each counts as one word. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_OR_SPACE = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])|\s+/u;
const WORDLIKE = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

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
 * The number of words in text, as {@link splitWords} counts them (CJK characters one each), in one
 * pass without building the list.
 * @param text - any text
 * @example
 * ```ts
 * countWords('床前明月光 moonlight'); // 6
 * ```
 */
export function countWords(text: string): number {
  let words = 0;
  let inToken = false; // inside a run of non-space, non-CJK characters
  let tokenIsWord = false; // that run holds a letter or digit
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let kind: 0 | 1 | 2 | 3; // 0 space, 1 letter or digit, 2 other, 3 CJK
    if (c < 0x80) {
      kind = c === 32 || (c >= 9 && c <= 13) ? 0
        : (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;
    } else {
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
      const char = pair ? text.slice(i, i + 2) : text[i]!;
      if (pair) i++;
      kind = SPACE.test(char) ? 0 : CJK.test(char) ? 3 : WORDLIKE.test(char) ? 1 : 2;
    }
    if (kind === 1 || kind === 2) {
      inToken = true;
      if (kind === 1) tokenIsWord = true;
      continue;
    }
    if (inToken && tokenIsWord) words++;
    inToken = false;
    tokenIsWord = false;
    if (kind === 3) words++;
  }
  return inToken && tokenIsWord ? words + 1 : words;
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
