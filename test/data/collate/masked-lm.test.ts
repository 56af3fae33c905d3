import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from '../../../examples/brown-corpus.js';
import { collateMaskedLM } from '../../../src/data/collate/collate-masked-lm.js';
import { maskTokensForMLM } from '../../../src/data/collate/mask-tokens-for-mlm.js';
import { IGNORE_INDEX } from '../../../src/data/causal-lm-batch.js';
import { validateMaskedLMBatch } from '../../../src/data/masked-lm-batch.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { tokenizerFromJSON } from '../../../src/tokenizers/tokenizer-from-json.js';
import { readFileSync } from 'node:fs';
import { RangeArgumentError, VocabularyError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';

const text = loadBrownCorpus(12);
const tokenizer = CharTokenizer.fromText(text, { specialTokens: ['<pad>', '<cls>', '<sep>', '<mask>'] });
const [PAD, CLS, SEP, MASK] = [0, 1, 2, 3];
const specialIds = [PAD, CLS, SEP, MASK];
const vocabSize = tokenizer.vocabSize;
const sentences = text.split('\n').map((line) => [CLS, ...tokenizer.encode(line), SEP]);

/** Expects `count` successes of `trials` to lie within 5 standard errors of rate `p`. */
function expectRate(count: number, trials: number, p: number): void {
  const bound = 5 * Math.sqrt((p * (1 - p)) / trials);
  expect(trials).toBeGreaterThan(1000);
  expect(Math.abs(count / trials - p), `${count}/${trials} vs ${p} ± ${bound}`).toBeLessThan(bound);
}

describe('collateMaskedLM on the Brown corpus', () => {
  it('selects 15% of the ordinary tokens, masks 80%, randomises 10%, keeps 10%, never touches special tokens or padding', () => {
    const rng = new Rng(0);
    let eligible = 0, selected = 0, masked = 0, randomised = 0, kept = 0;
    const violations: number[] = [];
    for (let start = 0; start + 16 <= sentences.length && eligible < 200_000; start += 16) {
      const examples = sentences.slice(start, start + 16);
      const batch = collateMaskedLM(examples, { maskTokenId: MASK, vocabSize, specialIds, padId: PAD, rng });
      validateMaskedLMBatch(batch, vocabSize);
      examples.forEach((ids, row) => {
        for (let t = 0; t < batch.seqLength; t++) {
          const k = row * batch.seqLength + t;
          const original = t < ids.length ? ids[t]! : PAD;
          const [input, label] = [batch.inputIds[k]!, batch.labels[k]!];
          if (t >= ids.length || specialIds.includes(original)) {
            if (label !== IGNORE_INDEX || input !== original || batch.attentionMask![k] !== (t < ids.length ? 1 : 0)) violations.push(k);
            continue;
          }
          eligible++;
          if (label === IGNORE_INDEX) {
            if (input !== original) violations.push(k);
            continue;
          }
          selected++;
          if (label !== original) violations.push(k);
          if (input === MASK) masked++;
          else if (input === original) kept++;
          else {
            randomised++;
            if (specialIds.includes(input)) violations.push(k);
          }
        }
      });
    }
    expect(violations).toEqual([]);
    expectRate(selected, eligible, 0.15);
    expectRate(masked, selected, 0.8);
    // a random draw equal to the original counts as kept: about 1 in vocabSize of the 10%
    expectRate(randomised, selected, 0.1 * (1 - 1 / (vocabSize - specialIds.length)));
    expectRate(kept, selected, 0.1 + 0.1 / (vocabSize - specialIds.length));
  });

  it('masks whole words together when given word ids', () => {
    const rng = new Rng(1);
    let words = 0, selectedWords = 0;
    for (const line of text.split('\n').slice(0, 800)) {
      const ids = tokenizer.encode(line);
      let word = -1;
      const wordIds = [...line].map((char, i) => (char === ' ' ? null : (i === 0 || line[i - 1] === ' ' ? ++word : word)));
      const { labels } = maskTokensForMLM(ids, { maskTokenId: MASK, vocabSize, specialIds }, rng, wordIds);
      const byWord = new Map<number, boolean[]>();
      wordIds.forEach((w, i) => {
        if (w === null) return expect(labels[i]).toBe(IGNORE_INDEX);
        byWord.set(w, [...(byWord.get(w) ?? []), labels[i] !== IGNORE_INDEX]);
      });
      for (const flags of byWord.values()) {
        expect(new Set(flags).size, 'all tokens of a word selected together').toBe(1);
        words++;
        if (flags[0]) selectedWords++;
      }
    }
    expectRate(selectedWords, words, 0.15);
  });

  it('masks whole WordPiece words of Brown sentences (## pieces with the word), from isContinuation or from Encoding.wordIds', () => {
    const bert = tokenizerFromJSON(JSON.parse(readFileSync(new URL('../../fixtures/tokenizers/wordpiece-uncased.json', import.meta.url), 'utf8')));
    const ids = (token: string): number => bert.tokenToId(token)!;
    const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(ids);
    const isContinuation = (id: number): boolean => bert.idToToken(id)!.startsWith('##');
    const options = { maskTokenId: ids('[MASK]'), vocabSize: bert.vocabSize, specialIds: specials };
    const rng = new Rng(5);
    let words = 0, selectedWords = 0, multiPiece = 0;
    for (const line of text.split('\n').slice(0, 600)) {
      const encoding = bert.encode(line);
      for (const wordIds of [undefined, encoding.wordIds]) {
        const { labels } = maskTokensForMLM(encoding.ids, { ...options, ...(wordIds ? {} : { wholeWord: { isContinuation } }) }, rng, wordIds);
        // a word: a non-continuation token and the ## tokens after it
        for (let start = 0; start < encoding.ids.length; start++) {
          if (specials.includes(encoding.ids[start]!) || isContinuation(encoding.ids[start]!)) continue;
          let end = start + 1;
          while (end < encoding.ids.length && isContinuation(encoding.ids[end]!)) end++;
          const flags = new Set(Array.from({ length: end - start }, (_, k) => labels[start + k] !== IGNORE_INDEX));
          expect(flags.size, `word at ${start} of "${line}"`).toBe(1);
          words++;
          if (flags.has(true)) selectedWords++;
          if (end - start > 1) multiPiece++;
        }
        encoding.ids.forEach((id, t) => specials.includes(id) && expect(labels[t]).toBe(IGNORE_INDEX));
      }
    }
    expect(multiPiece).toBeGreaterThan(500);
    expectRate(selectedWords, words, 0.15);
  });

  it('groups continuation tokens with isContinuation (WordPiece ## pieces)', () => {
    // ids >= 100 continue the previous word: words are [10 100 101] [11] [12 102]
    const ids = [CLS, 10, 100, 101, 11, 12, 102, SEP];
    const rng = new Rng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const { labels } = maskTokensForMLM(ids, { maskTokenId: MASK, vocabSize: 200, specialIds, probability: 0.5, wholeWord: { isContinuation: (id) => id >= 100 } }, rng);
      const on = [...labels].map((l) => (l === IGNORE_INDEX ? 0 : 1));
      expect(on[0]).toBe(0);
      expect(on[7]).toBe(0);
      expect(on[1] === on[2] && on[2] === on[3]).toBe(true);
      expect(on[5]).toBe(on[6]);
      seen.add(on.join(''));
    }
    expect(seen.size).toBe(8); // every combination of the three words occurs
  });

  it('is reproducible from a seed and pads token types', () => {
    const examples = [{ inputIds: sentences[0]!, tokenTypeIds: sentences[0]!.map(() => 1) }, { inputIds: sentences[1]! }];
    const options = { maskTokenId: MASK, vocabSize, specialIds, padId: PAD, seed: 5, padToMultipleOf: 8 };
    const a = collateMaskedLM(examples, options);
    expect(collateMaskedLM(examples, options)).toEqual(a);
    expect(a.seqLength % 8).toBe(0);
    expect(a.tokenTypeIds![0]).toBe(1);
    expect(a.tokenTypeIds![a.seqLength]).toBe(0);
  });

  it('rejects bad options and ids outside the vocabulary', () => {
    const rng = new Rng(0);
    expect(() => maskTokensForMLM([5], { maskTokenId: MASK, vocabSize, probability: 1.5 }, rng)).toThrowError('probability (1.5) must be in [0, 1]');
    expect(() => maskTokensForMLM([5], { maskTokenId: vocabSize, vocabSize }, rng)).toThrowError(RangeArgumentError);
    expect(() => maskTokensForMLM([vocabSize], { maskTokenId: MASK, vocabSize }, rng)).toThrowError(VocabularyError);
    expect(() => collateMaskedLM([[5]], { maskTokenId: MASK, vocabSize, padId: PAD })).toThrowError(/seed or an rng/);
  });
});
