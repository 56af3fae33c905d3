import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rouge } from '../../src/metrics/rouge.js';
import { rougeCorpus } from '../../src/metrics/rouge-corpus.js';
import { ConfigError, RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

const data = JSON.parse(readFileSync(new URL('../fixtures/rouge-testdata.json', import.meta.url), 'utf8')) as {
  targets: string[]; predictions: string[];
};
const tang300 = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8');

describe('rougeCorpus', () => {
  it('aggregates per-pair rouge scores with a bootstrap interval around their mean', () => {
    const result = rougeCorpus(data.targets, data.predictions, { types: ['rouge1', 'rougeL'], useStemmer: true, seed: 3 });
    expect(Object.keys(result)).toEqual(['rouge1', 'rougeL']);
    const pairs = data.targets.map((t, i) => rouge(t, data.predictions[i] as string, { types: ['rouge1'], useStemmer: true }).rouge1);
    const lowest = Math.min(...pairs.map((s) => s.recall));
    const highest = Math.max(...pairs.map((s) => s.recall));
    expect(result.rouge1.low.recall).toBeCloseTo(lowest, 12);
    expect(result.rouge1.high.recall).toBeCloseTo(highest, 12);
    expect(result.rouge1.mid.recall).toBeCloseTo((lowest + highest) / 2, 12); // median of 2-draw means
  });

  it('is reproducible for a seed and scores Chinese with the unicode tokenizer', () => {
    const poems = tang300.split(/^%$/m).slice(0, 30);
    const shuffled = poems.map((_, i) => poems[(i * 7) % poems.length] as string);
    const opts = { types: ['rouge1', 'rougeLsum'] as const, tokenizer: 'unicode' as const, seed: 11, nSamples: 200 };
    const same = rougeCorpus(poems, poems, opts);
    expect(same.rouge1.low).toEqual({ precision: 1, recall: 1, fmeasure: 1 });
    const other = rougeCorpus(poems, shuffled, opts);
    expect(other).toEqual(rougeCorpus(poems, shuffled, opts));
    expect(other.rouge1.mid.fmeasure).toBeGreaterThan(0.1);
    expect(other.rouge1.high.fmeasure).toBeLessThan(1);
    expect(rougeCorpus(poems, poems, { ...opts, tokenizer: 'default' }).rouge1.high.fmeasure).toBe(0);
  });

  it('rejects mismatched lengths, empty corpora and non-arrays with typed errors', () => {
    expect(() => rougeCorpus(['a', 'b'], ['a'])).toThrow(new ShapeError('rougeCorpus: targets (2) and predictions (1) must have the same length'));
    expect(() => rougeCorpus([], [])).toThrow(RangeArgumentError);
    expect(() => rougeCorpus('a' as unknown as string[], ['a'])).toThrow(ConfigError);
    expect(() => rougeCorpus(['a'], [3 as unknown as string])).toThrow(/prediction must be a string, got number \(3\)/);
    expect(() => rougeCorpus(['a'], ['a'], { nSamples: -1 })).toThrow(/nSamples \(-1\)/);
  });
});
