import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { loadTokenizer, Tokenizer, Unigram } from '../../src/tokenizers/index.js';
import { brownLines } from './texts.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers', 'spm-unigram.model');
const vocab: [string, number][] = [['<unk>', 0], ['a', -1], ['b', -1], ['ab', -2.5]];

function shareWhole(alpha: number, seed = 3): number {
  const model = new Unigram({ vocab, unkId: 0, sampling: { alpha, seed } });
  let whole = 0;
  for (let i = 0; i < 4000; i++) if (model.tokenize('ab').length === 1) whole++;
  return whole / 4000;
}

describe('Unigram sampling (subword regularisation, SentencePiece nbest_size -1)', () => {
  it('draws each segmentation with probability proportional to exp(alpha * score)', () => {
    // 'ab' (score -2.5) against 'a' + 'b' (-2): P = e^(-2.5a) / (e^(-2.5a) + e^(-2a)). Binomial(4000): 4 sigma < 0.032.
    for (const alpha of [0, 0.5, 1, 3]) {
      const expected = Math.exp(-2.5 * alpha) / (Math.exp(-2.5 * alpha) + Math.exp(-2 * alpha));
      expect(Math.abs(shareWhole(alpha) - expected)).toBeLessThan(0.032);
    }
  });

  it('is reproducible by seed, approaches the best segmentation for large alpha, decodes to the same text and fuses unknown runs', async () => {
    const best = await loadTokenizer(fixture);
    const withSampling = (alpha: number, seed: number): Tokenizer => new Tokenizer({
      model: new Unigram({ ...(best.model as Unigram).options, sampling: { alpha, seed } }), normalizer: best.normalizer, preTokenizer: best.preTokenizer,
      postProcessor: best.postProcessor, decoder: best.decoder, addedTokens: best.added.tokens,
    });
    const texts = brownLines(200);
    const run = (t: Tokenizer): string[][] => texts.map((text) => t.encode(text).tokens);
    expect(run(withSampling(0.1, 1))).toEqual(run(withSampling(0.1, 1)));
    expect(run(withSampling(0.1, 1))).not.toEqual(run(withSampling(0.1, 2)));
    const sampled = run(withSampling(0.1, 1));
    const plain = run(best);
    expect(sampled.flat().length).toBeGreaterThan(plain.flat().length * 1.1);
    const sharp = run(withSampling(1000, 1));
    expect(sharp.filter((tokens, i) => JSON.stringify(tokens) === JSON.stringify(plain[i])).length).toBeGreaterThan(195);
    for (const text of texts.slice(0, 50)) {
      const e = withSampling(0.2, 9).encode(text);
      expect(best.decode(e.ids)).toBe(best.decode(best.encode(text).ids));
    }
    const model = new Unigram({ vocab, unkId: 0, sampling: { alpha: 0.5 } });
    expect(model.tokenize('xyab').slice(0, 1)).toEqual([{ id: 0, value: 'xy', start: 0, end: 2 }]);
    expect(() => new Unigram({ vocab, sampling: { alpha: -1 } })).toThrow(ConfigError);
  });
});
