import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BPE, loadTokenizer, Tokenizer, tokenizerFromJSON } from '../../src/tokenizers/index.js';
import { brownLines, HARD_TEXTS, MISSING_BYTE_TEXTS, randomUnicode, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
const texts = [...brownLines(200), ...tangLines().slice(0, 50), ...HARD_TEXTS, ...MISSING_BYTE_TEXTS, ...randomUnicode(100, 3), '<s>x</s> <mask> wordforge<pad>'];

describe('Tokenizer.encodeIds: the ids of encode, by the fast path where it applies', () => {
  it.each(['byte-level-bpe.json', 'whitespace-bpe.json', 'wordpiece-uncased.json', 'spm-unigram.model', 'spm-bpe-bf.model'])('%s, singles and pairs, with and without special tokens', async (name) => {
    const tokenizer = await loadTokenizer(join(fixtures, name));
    const failures = [];
    for (const [i, text] of texts.entries()) {
      const pair = i % 4 === 0 ? texts[i + 1]! : null;
      for (const addSpecialTokens of [true, false]) {
        let expected: number[] | string;
        try {
          expected = tokenizer.encode(text, pair, { addSpecialTokens }).ids;
        } catch (error) {
          expected = (error as Error).constructor.name;
        }
        let actual: number[] | string;
        try {
          actual = tokenizer.encodeIds(text, pair, { addSpecialTokens });
        } catch (error) {
          actual = (error as Error).constructor.name;
        }
        if (JSON.stringify(actual) !== JSON.stringify(expected)) failures.push({ text, pair, addSpecialTokens, actual, expected });
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('falls back to encode under truncation and padding', async () => {
    const json = JSON.parse(JSON.stringify((await loadTokenizer(join(fixtures, 'byte-level-bpe.json'))).toJSON()));
    const truncating = tokenizerFromJSON({ ...json, truncation: { max_length: 7, stride: 0, strategy: 'LongestFirst', direction: 'Right' } }, 't.json');
    const padding = tokenizerFromJSON({ ...json, padding: { strategy: { Fixed: 64 }, direction: 'Right', pad_to_multiple_of: null, pad_id: 7170, pad_type_id: 0, pad_token: '<pad>' } }, 'p.json');
    for (const text of texts.slice(0, 50)) {
      expect(truncating.encodeIds(text)).toEqual(truncating.encode(text).ids);
      expect(padding.encodeIds(text, 'pair')).toEqual(padding.encode(text, 'pair').ids);
    }
    expect(truncating.encodeIds(texts[0]!).length).toBe(7);
  });

  it('a BPE cache that forgets its oldest words one at a time changes no result', async () => {
    const full = await loadTokenizer(join(fixtures, 'byte-level-bpe.json'));
    const bpe = full.model as BPE;
    const small = new Tokenizer({ model: new BPE({ ...bpe.options, cacheCapacity: 3 }), preTokenizer: full.preTokenizer, addedTokens: full.added.tokens });
    const plain = new Tokenizer({ model: bpe, preTokenizer: full.preTokenizer, addedTokens: full.added.tokens });
    for (const text of [...texts.slice(0, 100), ...texts.slice(0, 100)]) {
      expect(small.encodeIds(text)).toEqual(plain.encode(text).ids);
      expect(small.encode(text).tokens).toEqual(plain.encode(text).tokens);
    }
  });
});
