import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { BPE, loadTokenizer, Tokenizer, tokenizerFromJSON } from '../../src/tokenizers/index.js';
import { brownLines } from './texts.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers', 'byte-level-bpe.json');
const texts = brownLines(300);

async function withDropout(dropout: number | null, seed = 0): Promise<Tokenizer> {
  const json = JSON.parse(await readFile(fixture, 'utf8'));
  const t = tokenizerFromJSON({ ...json, model: { ...json.model, dropout } }, 'dropout.json');
  // The seed is not part of tokenizer.json: the same pipeline around a BPE with that seed.
  const model = new BPE({ ...(t.model as BPE).options, seed });
  return new Tokenizer({ model, normalizer: t.normalizer, preTokenizer: t.preTokenizer, postProcessor: t.postProcessor, decoder: t.decoder, addedTokens: t.added.tokens });
}

describe('BPE dropout (Provilkov et al. 2020)', () => {
  it('dropout 0 is plain BPE; dropout 1 leaves the initial bytes', async () => {
    const plain = await withDropout(null);
    const zero = await withDropout(0);
    const one = await withDropout(1);
    for (const text of texts.slice(0, 100)) {
      expect(zero.encode(text).ids).toEqual(plain.encode(text).ids);
      const tokens = one.encode(text).tokens.slice(1, -1);
      expect(tokens.every((t) => [...t].length === 1)).toBe(true);
      expect(tokens.join('')).toBe(plain.encode(text).tokens.slice(1, -1).join(''));
    }
  });

  it('skips each merge with the given probability: a two-symbol word stays split 30% of the time', () => {
    const model = new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']], dropout: 0.3, seed: 7 });
    const trials = 4000;
    let split = 0;
    for (let i = 0; i < trials; i++) if (model.tokenize('ab').length === 2) split++;
    // Binomial(4000, 0.3): standard deviation 0.0072; 4 sigma.
    expect(Math.abs(split / trials - 0.3)).toBeLessThan(0.029);
  });

  it('more dropout, more tokens; the same seed gives the same tokens, another seed others', async () => {
    const counts = [];
    for (const p of [0, 0.1, 0.3, 0.6]) {
      const t = await withDropout(p, 1);
      counts.push(texts.reduce((n, text) => n + t.encode(text).ids.length, 0));
    }
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThan(counts[i - 1]! * 1.05);
    const [a, b, c] = await Promise.all([withDropout(0.2, 5), withDropout(0.2, 5), withDropout(0.2, 6)]);
    const run = (t: Tokenizer): number[][] => texts.slice(0, 50).map((text) => t.encode(text).ids);
    expect(run(a)).toEqual(run(b));
    expect(run(c)).not.toEqual(run(a));
  });

  it('saves its dropout in tokenizer.json and rejects probabilities outside [0, 1]', async () => {
    expect((await withDropout(0.25)).toJSON().model).toMatchObject({ dropout: 0.25 });
    expect((await loadTokenizer(fixture)).toJSON().model).toMatchObject({ dropout: null });
    expect(() => new BPE({ vocab: new Map([['a', 0]]), merges: [], dropout: -0.1 })).toThrow(ConfigError);
  });
});
