/**
 * A hand-written scanner for GPT-2's split pattern
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` (`\s` being Unicode
 * White_Space), giving the same pieces as the regular expression without a match object per piece.
 * Tests check it against `GPT2_SPLIT_PATTERN` on every code point and on fuzzed text.
 */

const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\p{White_Space}$/u;

function classOf(char: string): number {
  return IS_LETTER.test(char) ? LETTER : IS_NUMBER.test(char) ? NUMBER : IS_SPACE.test(char) ? SPACE : OTHER;
}

/** Class of each BMP code point, filled in on first use (0: not classified yet). */
const BMP_CLASSES = new Uint8Array(0x10000);

/** Class of a code point (a lone surrogate is classed on its own, as the `u` regex does). */
function classOfCodePoint(cp: number): number {
  if (cp > 0xffff) return classOf(String.fromCodePoint(cp));
  const known = BMP_CLASSES[cp]!;
  return known !== 0 ? known : (BMP_CLASSES[cp] = classOf(String.fromCharCode(cp)));
}

/** End of the run of code points of class `cls` that starts at `from`. */
function runEnd(text: string, from: number, cls: number): number {
  let i = from;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (classOfCodePoint(cp) !== cls) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** Length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `i`, or 0. */
function contractionLength(text: string, i: number): number {
  const next = text.charCodeAt(i + 1);
  if (next === 0x73 || next === 0x74 || next === 0x6d || next === 0x64) return 2; // s t m d
  const after = text.charCodeAt(i + 2);
  if ((next === 0x72 || next === 0x76) && after === 0x65) return 3; // re ve
  return next === 0x6c && after === 0x6c ? 3 : 0; // ll
}

/**
 * The pieces GPT-2's split pattern cuts `text` into, as `[start0, end0, start1, end1, ...]` in
 * UTF-16 units (they cover the whole text, in order), equal to the matches of
 * `GPT2_SPLIT_PATTERN`.
 * @example
 * ```ts
 * gpt2SplitSpans("I'll go  now"); // [0, 1, 1, 4, 4, 7, 7, 8, 8, 12]: 'I', "'ll", ' go', ' ', ' now'
 * ```
 */
export function gpt2SplitSpans(text: string): number[] {
  const spans: number[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    const start = i;
    if (text.charCodeAt(i) === 0x27) {
      const length = contractionLength(text, i);
      if (length > 0) {
        spans.push(i, (i += length));
        continue;
      }
    }
    let cls = classOfCodePoint(text.codePointAt(i)!);
    let from = i;
    if (text.charCodeAt(i) === 0x20 && i + 1 < n) {
      const next = classOfCodePoint(text.codePointAt(i + 1)!);
      if (next !== SPACE) (cls = next), (from = i + 1); // ' ?' takes the space into the run that follows
    }
    if (cls !== SPACE) {
      spans.push(start, (i = runEnd(text, from, cls)));
      continue;
    }
    // `\s+(?!\S)` leaves the last space of a run followed by text to that text; `\s+` takes a lone one.
    const end = runEnd(text, i, SPACE);
    i = end === n || end - start === 1 ? end : end - 1;
    spans.push(start, i);
  }
  return spans;
}
