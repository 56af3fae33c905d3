import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BPE, loadTokenizer, Tokenizer } from '../../src/tokenizers/index.js';
import { brownLines, tangLines } from './texts.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers', 'byte-level-bpe.json');

/** Words cached by a BPE (the tokens cache and the ids cache). */
const cachedWords = (bpe: BPE): { tokens: number; ids: number } => ({ tokens: bpe['cache'].size, ids: bpe['idsCache'].size });

describe('BPE words not remembered (remember = false), for callers that cache them', () => {
  const vocab = new Map([['a', 0], ['b', 1], ['c', 2], ['ab', 3], ['aa', 4], ['aaaa', 5], ['##a', 6], ['##b', 7], ['a##b', 8], ['a</w>', 9], ['b</w>', 10], ['ab</w>', 11]]);
  const variants: [string, ConstructorParameters<typeof BPE>[0]][] = [
    ['plain', { vocab, merges: [['a', 'b'], ['a', 'a'], ['aa', 'aa']] }],
    ['ignoreMerges', { vocab, merges: [['a', 'a']], ignoreMerges: true }],
    ['continuingSubwordPrefix', { vocab, merges: [['a', '##b']], continuingSubwordPrefix: '##', unkToken: 'c' }],
    ['endOfWordSuffix', { vocab, merges: [['a', 'b</w>']], endOfWordSuffix: '</w>', unkToken: 'c' }],
  ];
  const words = ['ab', 'aab', 'aaaa', 'a'.repeat(257), 'ab'.repeat(80), 'abc'.repeat(40), 'ba', 'b'];

  it.each(variants)('%s: the same tokens and ids as remembered words, and nothing cached', (_, options) => {
    const remembering = new BPE(options);
    const forgetting = new BPE(options);
    for (const word of [...words, ...words]) {
      expect(forgetting.tokenize(word, false)).toEqual(remembering.tokenize(word));
      expect(forgetting.tokenizeIds(word, false)).toEqual(remembering.tokenizeIds(word));
    }
    expect(cachedWords(forgetting)).toEqual({ tokens: 0, ids: 0 });
    expect(cachedWords(remembering).ids).toBeGreaterThan(0);
  });

  it('with dropout the draws are the same whether or not words are remembered', () => {
    const options = { vocab, merges: [['a', 'b'], ['a', 'a'], ['aa', 'aa']] as [string, string][], dropout: 0.3, seed: 7 };
    const a = new BPE(options);
    const b = new BPE(options);
    for (const word of words) expect(a.tokenize(word, false)).toEqual(b.tokenize(word));
  });
});

describe('Tokenizer segment cache and the BPE word caches: each word cached once', () => {
  const lines = [...brownLines(200), ...tangLines().slice(0, 20)];

  it('segments the segment cache holds are not cached again by the model; with capacity 0 the model caches them', async () => {
    const file = await loadTokenizer(fixture);
    const build = (capacity: number): Tokenizer =>
      new Tokenizer({ model: new BPE((file.model as BPE).options), preTokenizer: file.preTokenizer, postProcessor: file.postProcessor, decoder: file.decoder, segmentCacheCapacity: capacity });
    const cached = build(100_000);
    const uncached = build(0);
    const long = `x${'ab'.repeat(200)}`; // a segment over 256 units: not held by the segment cache
    for (const text of [...lines, long]) {
      expect(cached.encode(text)).toEqual(uncached.encode(text));
      // Without special tokens, encodeIds takes the ids-only path (otherwise it is encode's ids).
      expect(cached.encodeIds(text, null, { addSpecialTokens: false })).toEqual(uncached.encodeIds(text, null, { addSpecialTokens: false }));
    }
    expect(cached['segmented']!.cachedSegments).toBeGreaterThan(100);
    expect(cachedWords(cached.model as BPE)).toEqual({ tokens: 1, ids: 1 }); // only the long segment's word
    expect(cachedWords(uncached.model as BPE).tokens).toBeGreaterThan(100);
    expect(cachedWords(uncached.model as BPE).ids).toBeGreaterThan(100);
  });
});
