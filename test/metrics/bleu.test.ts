import { describe, expect, it } from 'vitest';
import { bleu, sentenceBleu } from '../../src/metrics/bleu.js';
import { bleuFromStats } from '../../src/metrics/bleu-score.js';
import { closestRefLength } from '../../src/metrics/bleu-stats.js';
import { ConfigError, RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

// Facts copied from sacrebleu's test suite (mjpost/sacrebleu, test/test_bleu.py and
// test/test_sentence_bleu.py, 2.x). sacrebleu takes reference *streams*; we take one list of
// references per hypothesis, so its `_refs` streams are transposed here.
const REF_STREAMS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const REFS = HYPS.map((_, i) => REF_STREAMS.map((stream) => stream[i] as string));
const raw = { tokenize: 'none', smooth: 'floor', effectiveOrder: true } as const; // raw_corpus_bleu

describe('bleu (sacrebleu test_bleu.py)', () => {
  it('test_corpus_bleu: default, tokenizers, smoothing, empty hypotheses', () => {
    expect(bleu(HYPS, REFS).score).toBeCloseTo(48.530827, 6);
    expect(bleu(['', '', ''], REFS).score).toBe(0);
    expect(bleu(HYPS, REFS, { tokenize: 'none' }).score).toBeCloseTo(49.1919566, 6);
    expect(bleu(HYPS, REFS, { tokenize: '13a' }).score).toBeCloseTo(48.530827, 6);
    expect(bleu(HYPS, REFS, { tokenize: 'intl' }).score).toBeCloseTo(43.91623493, 6);
    expect(bleu(HYPS, REFS, { smooth: 'none' }).score).toBeCloseTo(48.530827, 6);
  });

  it('test_max_ngram_order', () => {
    const expected = ['77.65', '60.50', '53.93', '48.53', '46.14', '43.28'];
    expected.forEach((score, i) => expect(bleu(HYPS, REFS, { maxOrder: i + 1 }).score.toFixed(2)).toBe(score));
  });

  it('test_raw_bleu, test_effective_order, test_offset (raw_corpus_bleu = none tok, floor, eff)', () => {
    expect(bleu(['this is a test', 'another test'], [['ref1'], ['ref2']], { ...raw, smoothValue: 0.01 }).score).toBe(0);
    expect(bleu(['this is a test'], [['this is a test']], { ...raw, smoothValue: 0.01 }).score).toBeCloseTo(100, 6);
    expect(bleu(['this is a fest'], [['this is a test']], { ...raw, smoothValue: 0.01 }).score / 100)
      .toBeCloseTo(0.223606797749979, 8);
    expect(bleu(['test'], [['a test']], { ...raw, smoothValue: 0.01 }).score / 100).toBeCloseTo(0.3678794411714425, 8);
    expect(bleu(['a test'], [['a test']], { ...raw, smoothValue: 0.01 }).score / 100).toBeCloseTo(1, 8);
    expect(bleu(['a little test'], [['a test']], { ...raw, smoothValue: 0.01 }).score / 100)
      .toBeCloseTo(0.03218297948685433, 8);
    const hyp = ['am I am a character sequence'];
    const ref = [['I am a symbol string sequence a a']];
    expect(bleu(hyp, ref, { ...raw, smoothValue: 0 }).score).toBe(0);
    expect(bleu(hyp, ref, raw).score / 100).toBeCloseTo(0.1555722182, 8);
  });

  it('test_statistics: counts and totals', () => {
    const result = bleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], raw);
    expect(result.counts).toEqual([4, 2, 1, 0]);
    expect(result.totals).toEqual([6, 5, 4, 3]);
  });

  it('test_scoring and test_degenerate_statistics (compute_bleu)', () => {
    const exp = { smooth: 'exp', smoothValue: 0, maxOrder: 4, effectiveOrder: false } as const;
    const stats = { sysLen: 11, refLen: 11, counts: [9, 7, 5, 3], totals: [10, 8, 6, 4] };
    expect(bleuFromStats(stats, exp).score / 100).toBeCloseTo(0.8375922397, 8);
    const floor = (smoothValue: number) => ({ ...exp, smooth: 'floor', smoothValue }) as const;
    const cases: [number[], number[], number, number, number][] = [
      [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
      [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
      [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
      [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
    ];
    for (const [counts, totals, sysLen, refLen, offset] of cases) {
      expect(bleuFromStats({ sysLen, refLen, counts, totals }, floor(offset)).score).toBe(0);
    }
  });
});

describe('sentenceBleu (sacrebleu test_sentence_bleu.py, example from issue #98)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases = [
    ['exp', undefined, false, '13a', 8.493], ['none', undefined, false, '13a', 0.0],
    ['floor', undefined, false, '13a', 4.51688], ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.10], ['add-k', undefined, false, '13a', 14.882],
    ['add-k', 1, false, '13a', 14.882], ['add-k', 2, false, '13a', 21.389],
    ['exp', undefined, false, 'none', 7.347], ['exp', undefined, false, 'intl', 8.493],
    ['exp', undefined, false, 'char', 40.8759], ['exp', undefined, true, 'char', 42.0267],
  ] as const;
  it.each(cases)('smooth %s[%s] lowercase %s tok %s -> %d', (smooth, smoothValue, lowercase, tokenize, expected) => {
    const { score } = sentenceBleu(SYS, [REF], { smooth, smoothValue, lowercase, tokenize });
    expect(Math.abs(score - expected)).toBeLessThan(1e-3);
  });

  it('test_api_sentence_bleu_zero (issue #141): no match is 0 under every smoothing', () => {
    for (const smooth of ['exp', 'none', 'floor', 'add-k'] as const) {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smooth }).score).toBe(0);
    }
  });

  it('defaults to effective order; corpus BLEU does not', () => {
    expect(sentenceBleu('a test', ['a test']).score).toBeCloseTo(100, 10);
    expect(bleu(['a test'], [['a test']]).score).toBe(0); // orders 3 and 4 have no n-grams
    expect(sentenceBleu('a test', ['a test']).signature).toContain('eff:yes');
  });
});

describe('bleu details', () => {
  it('emits the sacrebleu 2.x signature', () => {
    expect(bleu(HYPS, REFS).signature).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1');
    expect(bleu(HYPS, REFS, { smooth: 'floor', lowercase: true, tokenize: 'intl' }).signature)
      .toBe('nrefs:2|case:lc|eff:no|tok:intl|smooth:floor[0.10]|version:2.5.1');
    expect(bleu(['a', 'b'], [['a'], ['b', 'c']], { smooth: 'add-k', smoothValue: 2 }).signature)
      .toBe('nrefs:var|case:mixed|eff:no|tok:13a|smooth:add-k[2.00]|version:2.5.1');
  });

  it('reports precisions, bp, ratio and lengths', () => {
    const result = bleu(HYPS, REFS);
    expect(result.counts).toEqual([14, 7, 5, 3]);
    expect(result.totals).toEqual([17, 14, 11, 8]);
    expect(result.sysLen).toBe(17);
    expect(result.refLen).toBe(18);
    expect(result.ratio).toBeCloseTo(17 / 18, 12);
    expect(result.bp).toBeCloseTo(Math.exp(1 - 18 / 17), 12);
    expect(result.precisions[0]).toBeCloseTo((100 * 14) / 17, 10);
  });

  it('picks the closest reference length, the shorter on ties', () => {
    expect(closestRefLength(5, [3, 7, 6])).toBe(6);
    expect(closestRefLength(5, [6, 4])).toBe(4);
    expect(bleu(['a b c d e'], [['a b c d e f', 'a b c d']]).refLen).toBe(4);
  });

  it('add-k adds k to counts and totals from order 2 on (even empty orders), as sacrebleu reports them', () => {
    const result = bleu(['a b c'], [['a b d']], { smooth: 'add-k' });
    expect(result.counts).toEqual([2, 2, 1, 1]);
    expect(result.totals).toEqual([3, 3, 2, 1]);
    expect(result.precisions).toEqual([(100 * 2) / 3, (100 * 2) / 3, 50, 100]);
  });

  it('lowercases when asked and drops empty references', () => {
    expect(bleu(['THE CAT'], [['the cat']], { lowercase: true, effectiveOrder: true }).score).toBeCloseTo(100, 10);
    expect(bleu(['a b c d'], [['', 'a b c d']]).signature).toContain('nrefs:1');
    expect(bleu([], []).score).toBe(0);
  });

  it('rejects bad input with typed errors naming the values', () => {
    expect(() => bleu(['a', 'b'], [['a']])).toThrow(ShapeError);
    expect(() => bleu(['a', 'b'], [['a']])).toThrow(/2 hypotheses but 1 reference lists/);
    expect(() => bleu(['a'], [[]])).toThrow(/references\[0\] must hold at least one non-empty/);
    expect(() => bleu(['a'], [['', '']])).toThrow(ShapeError);
    expect(() => bleu(['a', 3 as unknown as string], [['a'], ['b']])).toThrow(/hypotheses\[1\] must be a string, got number 3/);
    expect(() => bleu(['a'], ['a' as unknown as string[]])).toThrow(ConfigError);
    expect(() => bleu('a' as unknown as string[], [['a']])).toThrow(ConfigError);
    expect(() => sentenceBleu(['a'] as unknown as string, ['a'])).toThrow(/hypothesis must be a string/);
    expect(() => bleu(['a'], [['a']], { tokenize: 'moses' as '13a' })).toThrow(/unknown tokenize string "moses"/);
    expect(() => bleu(['a'], [['a']], { smooth: 'add-one' as 'exp' })).toThrow(ConfigError);
    expect(() => bleu(['a'], [['a']], { maxOrder: 0 })).toThrow(RangeArgumentError);
    expect(() => bleu(['a'], [['a']], { smoothValue: -1 })).toThrow(/smoothValue must be a finite number >= 0, got number -1/);
  });
});
