import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { porterStemmer } from '../../src/metrics/porter-stemmer.js';
import { ConfigError } from '../../src/utils/errors.js';

// Written by scripts/fixtures/porter.py with NLTK's PorterStemmer (mode NLTK_EXTENSIONS).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/porter-nltk.json', import.meta.url), 'utf8')) as {
  source: string;
  stems: Record<string, string>;
};

describe('porterStemmer', () => {
  it('agrees with NLTK on every word of the Brown-corpus vocabulary', () => {
    const words = Object.keys(fixture.stems);
    expect(words.length).toBeGreaterThan(10_000);
    const disagreements = words
      .filter((w) => porterStemmer(w) !== fixture.stems[w])
      .map((w) => `${w}: ${porterStemmer(w)} != ${fixture.stems[w]}`);
    expect(disagreements).toEqual([]);
  });

  it('reproduces the examples of the paper and the NLTK extensions', () => {
    // Porter (1980), step by step; NLTK keeps 'feed', conflates 'dies'/'died' -> 'die'.
    const cases: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', cats: 'cat', feed: 'feed', agreed: 'agre',
      plastered: 'plaster', motoring: 'motor', hopping: 'hop', falling: 'fall', filing: 'file',
      happy: 'happi', enjoy: 'enjoy', dies: 'die', died: 'die', spied: 'spi', skies: 'sky',
      dying: 'die', generalization: 'gener', relational: 'relat', controll: 'control',
      geology: 'geolog', carefully: 'care',
    };
    for (const [word, stem] of Object.entries(cases)) expect([word, porterStemmer(word)]).toEqual([word, stem]);
  });

  it('lowercases, and leaves words of one or two characters alone', () => {
    expect(porterStemmer('Running')).toBe('run');
    expect(porterStemmer('IS')).toBe('is');
    expect(porterStemmer('')).toBe('');
  });

  it('rejects non-strings with a typed error naming the value', () => {
    expect(() => porterStemmer(42 as unknown as string)).toThrow(ConfigError);
    expect(() => porterStemmer(42 as unknown as string)).toThrow(/number \(42\)/);
  });
});
