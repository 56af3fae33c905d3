import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/tokenizers/components.js';
import { BPE, byteLevelPreTokenizer, loadTokenizer, NormalizedString, Tokenizer } from '../../src/tokenizers/index.js';
import { SegmentCache } from '../../src/tokenizers/segment-cache.js';
import { SubstringCache } from '../../src/tokenizers/substring-cache.js';
import { ConfigError } from '../../src/utils/errors.js';
import { brownLines, HARD_TEXTS, MISSING_BYTE_TEXTS, randomUnicode, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
const texts = [...brownLines(300), ...tangLines().slice(0, 40), ...HARD_TEXTS, ...MISSING_BYTE_TEXTS, ...randomUnicode(150, 5), '<s>x</s> <mask> wordforge<pad>', 'a\u0085b \u000bc\fd e\u0301 \u0301f  ΣΑΣ σ', ' \u0308x \u00a8 y\t\u0345', '\u1100 \u1161 \u1100\u1161 ﬁ \u2460'];

/** The same model without `deterministic`, which keeps the tokenizer on its uncached path. */
function uncachedModel(model: Model): Model {
  return {
    tokenize: (word) => model.tokenize(word),
    tokenToId: (token) => model.tokenToId(token),
    idToToken: (id) => model.idToToken(id),
    get vocabSize() {
      return model.vocabSize;
    },
    toJSON: () => model.toJSON(),
  };
}

function withModel(tokenizer: Tokenizer, model: Model, segmentCacheCapacity?: number): Tokenizer {
  const { normalizer, preTokenizer, postProcessor, decoder, truncation, padding } = tokenizer;
  return new Tokenizer({ model, normalizer, preTokenizer, postProcessor, decoder, truncation, padding, addedTokens: tokenizer.added.tokens, segmentCacheCapacity });
}

const usesSegments = (tokenizer: Tokenizer): boolean => tokenizer['segmented'] !== null;

describe('Tokenizer segment cache: encodings identical to the uncached pipeline', () => {
  it.each(['byte-level-bpe.json', 'whitespace-bpe.json', 'wordpiece-uncased.json', 'wordpiece-cased.json'])('%s: every field of encode, and encodeIds, singles and pairs', async (name) => {
    const file = await loadTokenizer(join(fixtures, name));
    // Without the added tokens matched in normalized text ('wordforge' in byte-level-bpe), which turn the cache off.
    const loaded = new Tokenizer({ ...file, addedTokens: file.added.tokens.filter((t) => !t.normalized) });
    expect(usesSegments(file)).toBe(!file.added.tokens.some((t) => t.normalized));
    const slow = withModel(loaded, uncachedModel(loaded.model));
    expect(usesSegments(slow)).toBe(false);
    for (const capacity of [100_000, 3]) {
      const fast = withModel(loaded, loaded.model, capacity);
      expect(usesSegments(fast)).toBe(true);
      const failures = [];
      for (let round = 0; round < 2; round++) {
        for (const [i, text] of texts.entries()) {
          const pair = i % 5 === 0 ? texts[(i + 7) % texts.length]! : null;
          const expected = slow.encode(text, pair);
          if (JSON.stringify(fast.encode(text, pair)) !== JSON.stringify(expected)) failures.push({ text, pair, round, capacity });
          if (JSON.stringify(fast.encodeIds(text, pair, { addSpecialTokens: false })) !== JSON.stringify(slow.encode(text, pair, { addSpecialTokens: false }).ids)) failures.push({ text, pair, ids: true });
        }
      }
      expect(failures.slice(0, 3)).toEqual([]);
    }
  });

  it('hands out fresh arrays: changing a returned encoding changes no later one', async () => {
    const tokenizer = await loadTokenizer(join(fixtures, 'byte-level-bpe.json'));
    const text = 'the cat saw the cat';
    const first = tokenizer.encode(text);
    const expected = JSON.parse(JSON.stringify(first));
    first.ids.fill(-1), first.tokens.fill('x'), first.offsets[0]![0] = 99, first.wordIds.fill(null);
    tokenizer.encodeIds(text).fill(-1);
    expect(JSON.parse(JSON.stringify(tokenizer.encode(text)))).toEqual(expected);
    expect(tokenizer.encodeIds(text)).toEqual(expected.ids);
  });

  it('is not used when the model samples (BPE-dropout), and rejects a bad capacity', async () => {
    const vocab = new Map([['a', 0], ['b', 1], ['ab', 2]]);
    const dropping = new Tokenizer({ model: new BPE({ vocab, merges: [['a', 'b']], dropout: 0.5, seed: 1 }), preTokenizer: byteLevelPreTokenizer() });
    expect(usesSegments(dropping)).toBe(false);
    const ids = new Set(Array.from({ length: 40 }, () => dropping.encode('ab').ids.join(',')));
    expect(ids).toEqual(new Set(['2', '0,1']));
    expect(() => withModel(dropping, new BPE({ vocab, merges: [['a', 'b']] }), -1)).toThrow(ConfigError);
    expect(() => withModel(dropping, new BPE({ vocab, merges: [['a', 'b']] }), 1.5)).toThrow(/segmentCacheCapacity must be a non-negative integer, got 1.5/);
  });

  it('SegmentCache stays bounded and correct when words overflow it', async () => {
    const tokenizer = await loadTokenizer(join(fixtures, 'byte-level-bpe.json'));
    const cache = new SegmentCache(tokenizer.model, null, tokenizer.preTokenizer!, 8);
    const words = brownLines(50).join(' ').split(' ').map((w) => ` ${w}`);
    for (const word of [...words, ...words]) {
      const expected = tokenizer.preTokenizer!.split(NormalizedString.from(word)).flatMap((w) => tokenizer.model.tokenize(w.text).map((t) => t.id));
      expect(cache.ids(word, 0, word.length)).toEqual(expected);
      expect(cache.encode(`xx${word}`, 2, word.length + 2).ids).toEqual(expected);
      expect(cache.size).toBeLessThanOrEqual(8);
    }
  });
});

describe('SubstringCache', () => {
  it('finds keys as ranges of other strings, forgets the least recently used generation, holds nothing at capacity 0', () => {
    const cache = new SubstringCache<number>(4);
    cache.set('cat', 1), cache.set('dog', 2);
    expect(cache.get('a cat!', 2, 5)).toBe(1);
    expect(cache.get('a cat!', 2, 4)).toBeUndefined();
    expect(cache.get('dog')).toBe(2);
    cache.set('eel', 3); // young generation (2 entries) full: cat and dog become the old one
    cache.set('fox', 4);
    expect(cache.get('cat')).toBe(1); // found in the old generation, copied to the young one
    cache.set('gnu', 5); // young (eel, fox, ...) rotates: the old generation with dog is forgotten
    expect(cache.get('dog')).toBeUndefined();
    expect(cache.size).toBeLessThanOrEqual(4);
    const none = new SubstringCache<number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    expect(none.size).toBe(0);
  });
});
