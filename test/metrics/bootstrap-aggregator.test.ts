import { describe, expect, it } from 'vitest';
import { BootstrapAggregator } from '../../src/metrics/bootstrap-aggregator.js';
import { rouge, type RougeScore } from '../../src/metrics/rouge.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

const three: RougeScore[] = [
  { precision: 1, recall: 1 / 3, fmeasure: 1 / 2 },
  { precision: 0, recall: 0, fmeasure: 0 },
  { precision: 1, recall: 1, fmeasure: 1 },
];

function expectInterval(actual: { low: RougeScore; mid: RougeScore; high: RougeScore }, p: number[], r: number[], f: number[]): void {
  const got = (k: keyof RougeScore) => [actual.low[k], actual.mid[k], actual.high[k]];
  for (const [k, want] of [['precision', p], ['recall', r], ['fmeasure', f]] as const) {
    got(k).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 8));
  }
}

describe('BootstrapAggregator (rouge-score scoring_test.py)', () => {
  it('testConsistentPercentiles: 90% interval of three scores', () => {
    const agg = new BootstrapAggregator({ confidenceInterval: 0.9, seed: 123 });
    for (const s of three) agg.addScores({ rouge1: s });
    expectInterval(agg.aggregate().rouge1 as never, [1 / 3, 2 / 3, 1], [1 / 9, 4 / 9, 7 / 9], [1 / 6, 3 / 6, 5 / 6]);
  });

  it('testLargeConfidence: a 0% interval collapses onto the median', () => {
    const agg = new BootstrapAggregator({ confidenceInterval: 0, seed: 123 });
    for (const s of three) agg.addScores({ rouge1: s });
    expectInterval(agg.aggregate().rouge1 as never, [2 / 3, 2 / 3, 2 / 3], [4 / 9, 4 / 9, 4 / 9], [3 / 6, 3 / 6, 3 / 6]);
  });

  it('testMultipleRougeTypes, and the docstring example of scoring.py', () => {
    const agg = new BootstrapAggregator();
    agg.addScores(rouge('one two three', 'one two', { types: ['rouge1', 'rougeL'] }));
    agg.addScores(rouge('one two five six', 'seven eight', { types: ['rouge1', 'rougeL'] }));
    const result = agg.aggregate();
    expect(Object.keys(result)).toEqual(['rouge1', 'rougeL']);
    expectInterval(result.rouge1 as never, [0, 0.5, 1], [0, 1 / 3, 2 / 3], [0, 0.4, 0.8]);
  });

  it('is reproducible for a seed, and its interval brackets the mean like a normal interval', () => {
    const values = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 400) / 400);
    const make = (seed: number) => {
      const agg = new BootstrapAggregator<{ accuracy: number }>({ seed, nSamples: 500 });
      for (const accuracy of values) agg.addScores({ accuracy: { accuracy } });
      return agg.aggregate().accuracy as { low: { accuracy: number }; mid: { accuracy: number }; high: { accuracy: number } };
    };
    expect(make(5)).toEqual(make(5));
    expect(make(5)).not.toEqual(make(6));
    const { low, mid, high } = make(5);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mid.accuracy).toBeCloseTo(mean, 2);
    expect(high.accuracy - low.accuracy).toBeGreaterThan(0.8 * 2 * 1.96 * sd / Math.sqrt(values.length));
    expect(high.accuracy - low.accuracy).toBeLessThan(1.2 * 2 * 1.96 * sd / Math.sqrt(values.length));
  });

  it('a single example gives low = mid = high = its score; no example gives {}', () => {
    const agg = new BootstrapAggregator({ nSamples: 10 });
    expect(agg.aggregate()).toEqual({});
    agg.addScores({ rougeL: three[0] as RougeScore });
    expect(agg.aggregate()).toEqual({ rougeL: { low: three[0], mid: three[0], high: three[0] } });
  });

  it('rejects bad options and inconsistent scores with typed errors naming the values', () => {
    expect(() => new BootstrapAggregator({ confidenceInterval: 1.5 })).toThrow(new RangeArgumentError('confidenceInterval (1.5) must be in [0, 1]'));
    expect(() => new BootstrapAggregator({ nSamples: 0 })).toThrow(/nSamples \(0\)/);
    expect(() => new BootstrapAggregator({ seed: 0.5 })).toThrow(/seed \(0.5\)/);
    const agg = new BootstrapAggregator();
    agg.addScores({ rouge1: three[0] as RougeScore });
    expect(() => agg.addScores({ rouge1: { precision: 1 } as RougeScore })).toThrow(ConfigError);
    expect(() => agg.addScores({ rouge2: { precision: NaN, recall: 0, fmeasure: 0 } })).toThrow(/rouge2.precision must be a finite number, got NaN/);
  });
});
