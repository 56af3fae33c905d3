import { describe, expect, it } from 'vitest';
import { sentenceBleu } from '../../src/metrics/bleu.js';
import { selfBleu } from '../../src/metrics/self-bleu.js';
import { ConfigError, RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

/** The definition, computed naively: mean sentence BLEU of each text against all the others. */
function naiveSelfBleu(texts: string[], options?: Parameters<typeof sentenceBleu>[2]): number[] {
  return texts.map((t, i) => sentenceBleu(t, texts.filter((_, j) => j !== i), options).score);
}

describe('selfBleu', () => {
  const texts = [
    'the cat sat on the mat', 'the cat sat on a mat', 'a dog ran', 'the cat sat on the mat', '',
    'the the the cat cat', 'x', 'The Cat sat, on the mat!', 'on the mat the cat sat',
  ];

  it('equals the mean sentence BLEU of each text against all others, for any options', () => {
    for (const options of [undefined, { maxOrder: 2 }, { lowercase: true, smooth: 'floor' as const },
      { tokenize: 'char' as const, effectiveOrder: false }]) {
      const result = selfBleu(texts, options);
      const naive = naiveSelfBleu(texts, options);
      result.scores.forEach((s, i) => expect(s).toBeCloseTo(naive[i] as number, 10));
      expect(result.score).toBeCloseTo(naive.reduce((a, b) => a + b, 0) / naive.length, 10);
    }
  });

  it('is 100 for identical texts and low for unrelated ones', () => {
    expect(selfBleu(['a b c d e', 'a b c d e', 'a b c d e']).score).toBeCloseTo(100, 10);
    expect(selfBleu(['one two three four', 'five six seven eight', 'nine ten eleven twelve']).score).toBe(0);
  });

  it('reproduces Texygen/NLTK settings through options (nrefs in the signature)', () => {
    const result = selfBleu(['a b c', 'a b d', 'a c d'],
      { tokenize: 'none', maxOrder: 3, smooth: 'floor', smoothValue: 0.1, effectiveOrder: false });
    expect(result.signature).toBe('nrefs:2|case:mixed|eff:no|tok:none|smooth:floor[0.10]|version:2.5.1');
    // 'a b c' vs {'a b d', 'a c d'}: p1 = 3/3, p2 = 1/2, p3 = 0.1/1 (floor) -> (0.05)^(1/3).
    expect((result.scores[0] as number) / 100).toBeCloseTo(Math.cbrt(0.05), 12);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => selfBleu(['only one'])).toThrow(RangeArgumentError);
    expect(() => selfBleu(['a', 1 as unknown as string])).toThrow(/texts\[1\] must be a string, got number 1/);
    expect(() => selfBleu('a b' as unknown as string[])).toThrow(ConfigError);
    expect(() => selfBleu(['a', ''])).toThrow(/texts\[0\] has no non-empty other text/);
    expect(() => selfBleu(['a', ''])).toThrow(ShapeError);
  });
});
