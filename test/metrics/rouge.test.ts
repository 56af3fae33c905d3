import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rouge, rougeScorer, type RougeScore } from '../../src/metrics/rouge.js';
import { ConfigError } from '../../src/utils/errors.js';

// Lines of rouge-score's testdata (see the fixture's "source").
const data = JSON.parse(readFileSync(new URL('../fixtures/rouge-testdata.json', import.meta.url), 'utf8')) as {
  targets: string[]; predictions: string[]; targetMulti0: string; predictionMulti0: string;
};
const tang300 = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8');

/** Poem bodies: entries split by '%' lines, without the title 《...》 and the 作者 line. */
const poems = tang300.split(/^%$/m)
  .map((entry) => entry.split('\n').filter((l) => l.trim() && !l.startsWith('《') && !l.startsWith('作者')).join('\n'))
  .filter((body) => body.length > 0);

function expectScore(actual: RougeScore, precision: number, recall: number, fmeasure: number, digits = 5): void {
  expect(actual.precision).toBeCloseTo(precision, digits);
  expect(actual.recall).toBeCloseTo(recall, digits);
  expect(actual.fmeasure).toBeCloseTo(fmeasure, digits);
}

describe('rouge (rouge-score rouge_scorer_test.py)', () => {
  it('testRouge1, testRouge2, testRougeLConsecutive / NonConsecutive, testMultipleRougeTypes', () => {
    expectScore(rouge('testing one two', 'testing', { types: ['rouge1'] }).rouge1, 1, 1 / 3, 1 / 2);
    expectScore(rouge('testing one two', 'testing one', { types: ['rouge2'] }).rouge2, 1, 1 / 2, 2 / 3);
    expectScore(rouge('testing one two', 'testing one', { types: ['rougeL'] }).rougeL, 1, 2 / 3, 4 / 5);
    expectScore(rouge('testing one two', 'testing two', { types: ['rougeL'] }).rougeL, 1, 2 / 3, 4 / 5);
    const both = rouge('testing one two', 'testing one', { types: ['rouge1', 'rougeL'] });
    expect(Object.keys(both).sort()).toEqual(['rouge1', 'rougeL']);
    expectScore(both.rouge1, 1, 2 / 3, 4 / 5);
    expectScore(both.rougeL, 1, 2 / 3, 4 / 5);
  });

  it('testValidRougeTypes and testInvalidRougeTypes: typed errors naming the type', () => {
    for (const type of ['rouge1', 'rouge9', 'rougeL', 'rougeLsum'] as const) {
      expect(Object.keys(rouge('testing one two', 'testing', { types: [type] }))).toEqual([type]);
    }
    for (const type of ['rougen', 'rouge0', 'rouge10']) {
      expect(() => rouge('testing one two', 'testing', { types: [type as 'rouge1'] }))
        .toThrow(new ConfigError(`unknown ROUGE type "${type}": expected rouge1..rouge9, rougeL or rougeLsum`));
    }
  });

  it('testRougeEmpty and the Lsum empty cases: zeros, as rouge-score gives', () => {
    for (const type of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) {
      expectScore(rouge('testing one two', '', { types: [type] })[type], 0, 0, 0);
      expectScore(rouge('', '', { types: [type] })[type], 0, 0, 0);
    }
    expectScore(rouge('', 'w1', { types: ['rougeLsum'] }).rougeLsum, 0, 0, 0);
    expectScore(rouge('w1 w2 w3 w4 w5', '/', { types: ['rougeLsum'] }).rougeLsum, 0, 0, 0);
  });

  it('testRougeLsum and testSummaryLevelLcs: union LCS over newline-separated sentences', () => {
    const s = rouge('w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5', { types: ['rougeLsum', 'rougeL'] });
    expect(s.rougeLsum.recall).toBe(0.8); // 4 / 5
    expect(s.rougeLsum.precision).toBe(0.4); // 4 / 10
    expect(s.rougeLsum.fmeasure).toBeCloseTo(0.5333, 3);
    expectScore(s.rougeL, 0.4, 0.8, 0.8 * 2 / 3); // one LCS over the whole text: w1 w2 w3 w5
    // A repeated token is counted once per occurrence left on both sides.
    expectScore(rouge('a b\na b', 'a b', { types: ['rougeLsum'] }).rougeLsum, 1, 0.5, 2 / 3);
  });

  it('testRouge1/2/LAgainstRouge155 (with and without stemming) on rouge-score testdata', () => {
    const [t0, t1] = data.targets as [string, string];
    const [p0, p1] = data.predictions as [string, string];
    for (const useStemmer of [false, true]) {
      const s0 = rouge(t0, p0, { types: ['rouge1', 'rouge2', 'rougeL'], useStemmer });
      expectScore(s0.rouge1, 0.6875, 0.40741, 0.51163);
      expectScore(s0.rouge2, 0.53333, 0.30769, 0.39024);
      const s1 = rouge(t1, p1, { types: ['rouge1', 'rouge2', 'rougeL'], useStemmer });
      expectScore(s1.rouge2, 0.48, 0.29268, 0.36364);
      if (useStemmer) expectScore(s1.rouge1, 0.69231, 0.42857, 0.52941);
      else expectScore(s1.rouge1, 0.65385, 0.40476, 0.5);
    }
    expectScore(rouge(t0, p0, { types: ['rougeL'] }).rougeL, 0.6875, 0.40741, 0.51163);
    expectScore(rouge(t1, p1, { types: ['rougeL'] }).rougeL, 0.65385, 0.40476, 0.5);
  });

  it('testRougeLSumAgainstRouge155WithStemming on pyrouge_files/*_multi.0.txt', () => {
    const s = rouge(data.targetMulti0, data.predictionMulti0, { types: ['rougeLsum'], useStemmer: true });
    expectScore(s.rougeLsum, 0.66667, 0.36538, 0.47205);
  });

  it('stems only tokens longer than 3 characters, like rouge-score', () => {
    // 'cats' -> 'cat' (4 letters, stemmed); 'was' would stem to 'wa' but has only 3 letters.
    expectScore(rouge('cats', 'cat', { types: ['rouge1'], useStemmer: true }).rouge1, 1, 1, 1);
    expectScore(rouge('was', 'wa', { types: ['rouge1'], useStemmer: true }).rouge1, 0, 0, 0);
    expectScore(rouge('cats', 'cat', { types: ['rouge1'] }).rouge1, 0, 0, 0);
  });

  it('defaults to rouge1, rouge2, rougeL and rougeLsum', () => {
    expect(Object.keys(rouge('a b', 'a b'))).toEqual(['rouge1', 'rouge2', 'rougeL', 'rougeLsum']);
  });

  it('rejects non-string texts and bad options with typed errors naming the values', () => {
    expect(() => rouge(42 as unknown as string, 'a')).toThrow(new ConfigError('rouge: target must be a string, got number (42)'));
    expect(() => rouge('a', null as unknown as string)).toThrow(/prediction must be a string, got object \(null\)/);
    expect(() => rouge('a', 'a', { types: [] })).toThrow(ConfigError);
    expect(() => rouge('a', 'a', { types: 'rouge1' as unknown as ['rouge1'] })).toThrow(/"rouge1"/);
    expect(() => rougeScorer({ tokenizer: 'chinese' as 'unicode' })).toThrow(/"chinese"/);
  });
});

describe('rouge on Chinese (Tang poems, tang300.txt)', () => {
  it('has poems to score', () => {
    expect(poems.length).toBeGreaterThan(300);
  });

  it('with the unicode tokenizer, identical poems score 1 for every type', () => {
    for (const poem of poems.slice(0, 20)) {
      const s = rouge(poem, poem, { tokenizer: 'unicode', types: ['rouge1', 'rouge2', 'rouge4', 'rougeL', 'rougeLsum'] });
      for (const score of Object.values(s)) expectScore(score, 1, 1, 1, 12);
    }
  });

  it('with the default tokenizer, Chinese text has no tokens and scores 0 (rouge-score compatible)', () => {
    const poem = poems[0] as string;
    for (const score of Object.values(rouge(poem, poem))) expectScore(score, 0, 0, 0);
  });

  it('gives character-level scores that order sensibly: same poem > one line changed > other poem', () => {
    const [a, b] = poems as [string, string];
    const lines = a.split('\n');
    const edited = [...lines.slice(0, -1), b.split('\n')[0]].join('\n');
    const opts = { tokenizer: 'unicode', types: ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] } as const;
    const one = rouge(a, edited, opts);
    const other = rouge(a, b, opts);
    for (const type of opts.types) {
      expect(one[type].fmeasure).toBeLessThan(1);
      expect(one[type].fmeasure).toBeGreaterThan(other[type].fmeasure);
    }
    // rouge1 between two lines of five characters, four in common: P = R = F = 4/5
    expectScore(rouge('床前明月光', '床前看月光', { tokenizer: 'unicode', types: ['rouge1'] }).rouge1, 0.8, 0.8, 0.8, 12);
  });
});
