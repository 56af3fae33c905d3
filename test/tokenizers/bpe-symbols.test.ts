import { describe, expect, it } from 'vitest';
import { BPE } from '../../src/tokenizers/index.js';

/**
 * BPE as its definition says, with nothing remembered: characters (unknowns fused or dropped), then
 * the lowest-ranked leftmost pair merged until none applies; ids and UTF-16 spans of the symbols.
 */
function reference(vocab: ReadonlyMap<string, number>, merges: readonly (readonly [string, string])[], unk: string | null, fuseUnk: boolean, word: string): { ids: number[]; spans: [number, number][] } {
  let symbols: string[] = [];
  let spans: [number, number][] = [];
  let lastUnknown = false;
  let at = 0;
  for (const char of Array.from(word)) {
    const span: [number, number] = [at, (at += char.length)];
    if (vocab.has(char)) (symbols.push(char), spans.push(span), (lastUnknown = false));
    else if (unk !== null && fuseUnk && lastUnknown) spans[spans.length - 1]![1] = span[1];
    else if (unk !== null) (symbols.push(unk), spans.push(span), (lastUnknown = true));
  }
  const rank = new Map(merges.map(([a, b], r) => [`${a} ${b}`, r]));
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = symbols[i] === unk || symbols[i + 1] === unk ? undefined : rank.get(`${symbols[i]} ${symbols[i + 1]}`);
      if (r !== undefined && r < bestRank) (bestRank = r), (best = i);
    }
    if (best < 0) return { ids: symbols.map((s) => vocab.get(s)!), spans };
    symbols = [...symbols.slice(0, best), symbols[best]! + symbols[best + 1]!, ...symbols.slice(best + 2)];
    spans = [...spans.slice(0, best), [spans[best]![0], spans[best + 1]![1]], ...spans.slice(best + 2)];
  }
}

describe('BPE initial symbols and merges (character table, in-place merging) equal the definition', () => {
  const alphabet = ['a', 'b', 'é', '中', '😀', '\ud800', 'x'];
  const tokens = [...alphabet.filter((c) => c !== 'x'), 'ab', 'aa', 'aaaa', 'éa', '中中', 'ab中', '<unk>'];
  const vocab = new Map(tokens.map((t, i) => [t, i]));
  const merges: [string, string][] = [['a', 'a'], ['aa', 'aa'], ['a', 'b'], ['é', 'a'], ['中', '中'], ['ab', '中']];
  // Words over every mix of the alphabet: lone and paired surrogates, unknown characters, runs of
  // one character ('aaaa…'), and words long enough (> 48 symbols) for the heap path.
  let seed = 1;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  const words = [
    'a'.repeat(7), 'a'.repeat(130), '中'.repeat(51), '😀'.repeat(30), '\ud800\ude00', '\ud800a', 'a\ud800', 'xxabx', 'éaéa',
    ...Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(random() * 70) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')),
  ];

  it.each([['<unk>', false], ['<unk>', true], [null, false]] as const)('unk %s, fuseUnk %s: tokenize and tokenizeIds, first and repeated words', (unk, fuseUnk) => {
    const bpe = new BPE({ vocab, merges, unkToken: unk, fuseUnk });
    for (const word of [...words, ...words]) {
      const expected = reference(vocab, merges, unk, fuseUnk, word);
      expect(bpe.tokenizeIds(word)).toEqual(expected.ids);
      const tokens = bpe.tokenize(word, false);
      expect(tokens.map((t) => t.id)).toEqual(expected.ids);
      // Offsets are counted over the symbols kept, so a dropped character shifts them (as in Hugging Face).
      if (unk !== null) expect(tokens.map((t) => [t.start, t.end])).toEqual(expected.spans);
    }
  });
});
