/**
 * Oniguruma's Unicode word characters: alphabetic, marks, decimal digits and connector punctuation,
 * and (from its Latin-1 table) the superscripts ² ³ ¹ and fractions ¼ ½ ¾, as npm `tokenizers` matches them.
 */
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u00b2\u00b3\u00b9\u00bc-\u00be`;
/** Each shorthand as Oniguruma (Hugging Face's regex engine) reads it over Unicode text, outside a class and inside one. */
const SHORTHANDS: Record<string, readonly [outside: string, inside: string]> = {
  s: [String.raw`\p{White_Space}`, String.raw`\p{White_Space}`],
  S: [String.raw`\P{White_Space}`, String.raw`\P{White_Space}`],
  d: [String.raw`\p{Nd}`, String.raw`\p{Nd}`],
  D: [String.raw`\P{Nd}`, String.raw`\P{Nd}`],
  w: [`[${WORD}]`, WORD],
  // A negated set cannot sit inside a class without the `v` flag: there `\W` stays JavaScript's.
  W: [`[^${WORD}]`, String.raw`\W`],
};

/**
 * `source` with the shorthands `\s \S \d \D \w \W` rewritten as Oniguruma reads them over Unicode
 * text, for JavaScript's `u` flag: JavaScript's `\d` and `\w` are ASCII, and its `\s` holds U+FEFF
 * but not U+0085 (Oniguruma's is Unicode White_Space). Escaped backslashes (`\\s`) are left alone,
 * and so is `\W` inside a character class.
 * @example
 * ```ts
 * new RegExp(onigurumaShorthands(String.raw`\w+`), 'u').exec('café')?.[0]; // 'café'
 * ```
 */
export function onigurumaShorthands(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\' && i + 1 < source.length) {
      const escaped = source[++i]!;
      out += SHORTHANDS[escaped]?.[inClass ? 1 : 0] ?? `\\${escaped}`;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    out += char;
  }
  return out;
}
