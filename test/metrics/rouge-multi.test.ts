import { describe, expect, it } from 'vitest';
import { rouge } from '../../src/metrics/rouge.js';
import { rougeMulti } from '../../src/metrics/rouge-multi.js';
import { ConfigError } from '../../src/utils/errors.js';

describe('rougeMulti (rouge-score score_multi)', () => {
  it('takes, per type, the whole score of the target with the best F-measure', () => {
    const targets = ['the cat sat on the mat', 'a dog sat', 'the cat was on the mat today'];
    const prediction = 'the cat sat on a mat';
    const best = rougeMulti(targets, prediction, { types: ['rouge1', 'rouge2', 'rougeL'] });
    for (const type of ['rouge1', 'rouge2', 'rougeL'] as const) {
      const all = targets.map((t) => rouge(t, prediction, { types: [type] })[type]);
      const top = all.reduce((a, b) => (b.fmeasure > a.fmeasure ? b : a));
      expect(best[type]).toEqual(top);
    }
    // rouge1: "the cat sat on the mat" shares 5 of 6 tokens both ways.
    expect(best.rouge1.fmeasure).toBeCloseTo(5 / 6, 12);
  });

  it('keeps precision and recall of the winning target rather than mixing targets', () => {
    // Target 1: P=1, R=0.25 (F=0.4); target 2: P=0.5, R=1 (F=0.666...). The winner is target 2 whole.
    const best = rougeMulti(['a b c d', 'a z'], 'a', { types: ['rouge1'] });
    expect(best.rouge1).toEqual({ precision: 1, recall: 0.5, fmeasure: 2 / 3 });
  });

  it('breaks ties by the first target, as numpy.argmax', () => {
    // Target 1: P=0.5, R=1; target 2: P=1, R=0.5; both F = 2/3.
    expect(rougeMulti(['a', 'a b c d'], 'a b', { types: ['rouge1'] }).rouge1).toEqual({ precision: 0.5, recall: 1, fmeasure: 2 / 3 });
    expect(rougeMulti(['a b c d', 'a'], 'a b', { types: ['rouge1'] }).rouge1).toEqual({ precision: 1, recall: 0.5, fmeasure: 2 / 3 });
  });

  it('scores Chinese with the unicode tokenizer and refuses empty target lists', () => {
    expect(rougeMulti(['床前明月光', '疑是地上霜'], '疑是地上霜', { types: ['rougeL'], tokenizer: 'unicode' }).rougeL.fmeasure).toBe(1);
    expect(() => rougeMulti([], 'x')).toThrow(ConfigError);
    expect(() => rougeMulti('x' as unknown as string[], 'x')).toThrow(/non-empty array of targets/);
  });
});
