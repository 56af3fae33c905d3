import { describe, expect, it } from 'vitest';
import { GPT2_SPLIT_PATTERN } from '../../src/tokenizers/byte-level.js';
import { gpt2SplitSpans } from '../../src/tokenizers/gpt2-split.js';
import { HARD_TEXTS, randomUnicode } from './texts.js';

/** The spans of the regular expression's matches, the reference the scanner must equal. */
function regexSpans(text: string): number[] {
  const spans: number[] = [];
  for (const match of text.matchAll(GPT2_SPLIT_PATTERN)) spans.push(match.index, match.index + match[0].length);
  return spans;
}

/** Texts where the two disagree (at most `limit`). */
function disagreements(texts: Iterable<string>, limit = 5): { text: string; scanner: number[]; regex: number[] }[] {
  const out = [];
  for (const text of texts) {
    const scanner = gpt2SplitSpans(text);
    const regex = regexSpans(text);
    if (JSON.stringify(scanner) !== JSON.stringify(regex)) out.push({ text, scanner, regex });
    if (out.length >= limit) break;
  }
  return out;
}

describe('gpt2SplitSpans: the GPT-2 split pattern without a regular expression', () => {
  it('splits words, contractions, numbers, symbols and whitespace runs as the pattern does', () => {
    const pieces = (text: string): string[] => {
      const spans = gpt2SplitSpans(text);
      return Array.from({ length: spans.length / 2 }, (_, k) => text.slice(spans[2 * k], spans[2 * k + 1]));
    };
    expect(pieces("I'll go  now")).toEqual(['I', "'ll", ' go', ' ', ' now']);
    expect(pieces("it's 42!!  \n\tx  ")).toEqual(['it', "'s", ' 42', '!!', '  \n', '\t', 'x', '  ']);
    expect(pieces("'S 're'd")).toEqual(["'", 'S', " '", 're', "'d"]);
  });

  it('equals the pattern on every BMP code point in several contexts, and on astral ones', () => {
    function* contexts(): Generator<string> {
      for (let cp = 0; cp < 0x10000; cp++) {
        const c = String.fromCharCode(cp);
        yield ` ${c}${c}a`;
        yield `  ${c} 1`;
        yield `'${c}\n${c}`;
      }
      for (let cp = 0x10000; cp <= 0x10ffff; cp += 97) {
        const c = String.fromCodePoint(cp);
        yield ` ${c}${c} ${c}`;
      }
    }
    expect(disagreements(contexts())).toEqual([]);
  });

  it('equals the pattern on hard texts and on fuzzed mixes of every character class', () => {
    const alphabet = ['a', 'Z', 'é', '\u0301', '1', '٣', 'Ⅻ', ' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\u3000', '\u0085', '\u2028',
      "'", "'s", "'ll", "'re", "'ve", "'S", '!', '?', '中', '😀', '\ud800', '\udc00', '𝟘', '𐍈', '_', '-', '\u200b', '\ufeff'];
    let state = 7;
    const next = (n: number): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % n);
    const fuzzed = Array.from({ length: 20_000 }, () => Array.from({ length: 1 + next(14) }, () => alphabet[next(alphabet.length)]).join(''));
    expect(disagreements([...HARD_TEXTS, ...randomUnicode(500, 11), ...fuzzed, 'x'.repeat(10_000), ' '.repeat(999) + 'end   '])).toEqual([]);
  });
});
