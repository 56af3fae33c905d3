import { stripWhitespace } from './split-whitespace.js';
import { tokenizeRegexp } from './tokenize-regexp.js';

/**
 * The code points sacrebleu's `TokenizerZh` treats as Chinese, inclusive. sacrebleu writes two
 * bounds as `'\u20000'`-`'\u2a6d6'` and `'\u2f800'`-`'\u2fa1d'`, which Python reads as two-character
 * strings (`'\u2000' + '0'`...); compared with one character they select U+2001-U+2A6D and
 * U+2F81-U+2FA1 (general punctuation such as `—` and `“`, arrows, maths, dingbats), not the
 * intended Extension B and Compatibility Supplement planes. We reproduce that behaviour.
 */
const CHINESE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fa5], // CJK Unified Ideographs
  [0x9fa6, 0x9fbb], // CJK Unified Ideographs, Unicode 4.1
  [0xf900, 0xfa2d], // CJK Compatibility Ideographs
  [0xfa30, 0xfa6a], // CJK Compatibility Ideographs, Unicode 3.2
  [0xfa70, 0xfad9], // CJK Compatibility Ideographs, Unicode 4.1
  [0x2001, 0x2a6d], // sacrebleu's ('\u20000', '\u2a6d6'), see above
  [0x2f81, 0x2fa1], // sacrebleu's ('\u2f800', '\u2fa1d'), see above
  [0xff00, 0xffef], // full-width ASCII and punctuation, half-width kana, Hangul
  [0x2e80, 0x2eff], // CJK Radicals Supplement
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0x31c0, 0x31ef], // CJK strokes
  [0x2f00, 0x2fdf], // Kangxi Radicals
  [0x2ff0, 0x2fff], // ideographic description characters
  [0x3100, 0x312f], // Bopomofo
  [0x31a0, 0x31bf], // Bopomofo Extended
  [0xfe10, 0xfe1f], // vertical forms
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0x2600, 0x26ff], // miscellaneous symbols
  [0x2700, 0x27bf], // dingbats
  [0x3200, 0x32ff], // enclosed CJK letters and months
  [0x3300, 0x33ff], // CJK compatibility
];

/** Whether sacrebleu's `zh` tokenizer splits out the code point `cp` as a token of its own. */
function isChineseCodePoint(cp: number): boolean {
  return CHINESE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * sacrebleu's `zh` BLEU tokenizer (by Shujian Huang, as used for WMT Chinese): strips the line,
 * surrounds every Chinese character (see the ranges above) with spaces and applies the regular
 * expression stage of `13a` ({@link tokenizeRegexp}) to the result. Unlike `13a` it neither pads
 * the line nor unescapes HTML entities.
 *
 * @param line - one segment
 * @returns its tokens: one per Chinese character, 13a tokens for the rest
 * @example
 * ```ts
 * tokenizeZh('床前明月光，AI 3.5版'); // ['床', '前', '明', '月', '光', '，', 'AI', '3.5', '版']
 * ```
 */
export function tokenizeZh(line: string): string[] {
  let spaced = '';
  for (const char of stripWhitespace(line)) {
    spaced += isChineseCodePoint(char.codePointAt(0) as number) ? ` ${char} ` : char;
  }
  return tokenizeRegexp(spaced);
}
