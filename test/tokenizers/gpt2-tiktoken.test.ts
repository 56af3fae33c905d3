import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { gpt2Tokenizer } from '../../src/tokenizers/index.js';
import { gpt2Files } from './gpt2-from-tiktoken.js';
import { brownLines, HARD_TEXTS, randomUnicode, tangLines } from './texts.js';

const files = gpt2Files();
const tokenizer = gpt2Tokenizer(files.vocab, files.merges);
const reference = get_encoding('gpt2');

function expectSameIds(texts: readonly string[]): void {
  // Both the full encoding and the ids-only fast path.
  const mismatches = texts.filter((t) => {
    const theirs = Array.from(reference.encode(t, 'all'));
    return [tokenizer.encode(t).ids, tokenizer.encodeIds(t)].some((ours) => ours.length !== theirs.length || ours.some((id, i) => id !== theirs[i]));
  });
  expect(mismatches.slice(0, 5)).toEqual([]);
}

describe('GPT-2 byte-level BPE against tiktoken gpt2', () => {
  it('encodes 3,000 Brown sentences identically, one by one and as one text', () => {
    const lines = brownLines(3000);
    expect(lines.length).toBe(3000);
    expectSameIds(lines);
    expectSameIds([lines.join('\n')]);
  });

  it('encodes Tang poems (Chinese) identically', () => {
    const lines = tangLines();
    expect(lines.length).toBeGreaterThan(1000);
    expectSameIds(lines);
  });

  it('encodes emoji, code, odd whitespace, mixed scripts and random Unicode identically', () => {
    expectSameIds([...HARD_TEXTS, HARD_TEXTS.join(' '), ...randomUnicode(1000, 7, true), 'end <|endoftext|> start']);
  });

  it('decodes every encoding back to its text (arbitrary Unicode, astral planes included)', () => {
    for (const text of [...HARD_TEXTS, ...randomUnicode(2000, 11), ...tangLines().slice(0, 200)]) {
      expect(tokenizer.decode(tokenizer.encode(text).ids)).toBe(text);
    }
  });

  it('gives offsets that slice the original text, with multi-byte characters whole', () => {
    const text = 'Héllo 🎉 world';
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(Array.from(reference.encode(text)).map((id) => tokenizer.idToToken(id)));
    for (const [i, [s, end]] of e.offsets.entries()) {
      expect(e.tokens[i]!.length > 0 && end > s).toBe(true);
    }
    expect(e.offsets.map(([s, end]) => text.slice(s, end)).join('')).toContain('🎉');
  });
});
