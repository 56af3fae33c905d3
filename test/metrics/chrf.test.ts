import { describe, expect, it } from 'vitest';
import { chrf, sentenceChrf } from '../../src/metrics/chrf.js';
import { chrfFromStats, splitPunctuation } from '../../src/metrics/chrf-stats.js';
import { ConfigError, RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

// Facts copied from sacrebleu's test suite (mjpost/sacrebleu, test/test_chrf.py, 2.x), which
// calls corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3, ...). Tolerance 1e-4 as there.
const EPSILON = 1e-4;
const corpus = (hyps: string[], refs: string[]) => [hyps, refs.map((r) => [r])] as const;

describe('chrf (sacrebleu test_chrf.py)', () => {
  const RISK_HYP = ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .';
  const RISK_REF = 'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .';
  const DIE_REF = 'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.';
  const SAME = 'Niemand hat die Absicht, eine Mauer zu errichten';

  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0], [['a'], ['b'], 0.0], [[''], ['b'], 0.0], [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0], [['aa'], ['ab'], 8.3333], [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667], [['a b c'], ['a b c'], 50.0], [['a b c'], ['abc'], 50.0],
    [[RISK_HYP], [RISK_REF], 63.361730],
    [[' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '], [DIE_REF], 64.1302698],
    [[SAME], [SAME], 100.0],
  ])('test_chrf (eps_smoothing=True) %j vs %j -> %d', (hyps, refs, expected) => {
    const { score } = chrf(...corpus(hyps, refs), { beta: 3, epsSmoothing: true });
    expect(Math.abs(score - expected)).toBeLessThan(EPSILON);
  });

  it.each([
    [['a'], ['a'], 100.0], [[''], ['reference'], 0.0], [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0], [[''], ['c'], 0.0], [['a', 'b'], ['a', 'c'], 50.0], [['aa'], ['ab'], 25.0],
  ])('test_chrf_eff_order %j vs %j -> %d', (hyps, refs, expected) => {
    expect(Math.abs(chrf(...corpus(hyps, refs), { beta: 3 }).score - expected)).toBeLessThan(EPSILON);
  });

  it('test_chrf_keep_whitespace (remove_whitespace=False)', () => {
    const die = 'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.';
    expect(chrf([die], [[DIE_REF]], { beta: 3, whitespace: true }).score).toBeCloseTo(67.3481606, 4);
    expect(chrf([RISK_HYP.trim()], [[RISK_REF]], { beta: 3, whitespace: true }).score).toBeCloseTo(65.2414427, 4);
  });

  it.each([
    ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.', 39.14078509],
    ['Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.', 31.22557079],
    ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.', 57.15704367],
  ])('test_chrf_sentence_level %s', (hyp, ref, expected) => {
    expect(Math.abs(sentenceChrf(hyp, [ref], { epsSmoothing: true }).score - expected)).toBeLessThan(EPSILON);
  });
});

describe('chrf details', () => {
  it('chrF++ adds word n-grams after splitting ASCII punctuation off words', () => {
    expect(splitPunctuation('Hello, (world)! a ok.')).toEqual(['Hello', ',', '(world)', '!', 'a', 'ok', '.']);
    // 'the cat' vs 'the dog', char and word unigrams: p = r = 1/2 at both orders -> 50.
    expect(chrf(['the cat'], [['the dog']], { charOrder: 1, wordOrder: 1, beta: 1 }).score).toBeCloseTo(50, 12);
    const plus = chrf(['a b c'], [['a b d']], { wordOrder: 2 });
    expect(plus.name).toBe('chrF2++');
    // chars 'abc' vs 'abd': 2/3, 1/2, 0 (orders 4-6 empty); words: 2/3, 1/2 -> mean 7/15 on both sides.
    expect(plus.score).toBeCloseTo(700 / 15, 10);
  });

  it('sums statistics over the corpus instead of averaging sentence scores', () => {
    const whole = chrf(['aa', 'abcd'], [['ab'], ['abcd']]).score;
    // [hyp, ref, match] per order: 'aa'/'ab' gives [2,2,1], [1,1,0]; 'abcd'/'abcd' gives
    // [4,4,4], [3,3,3], [2,2,2], [1,1,1]; chrF is computed once from their sums.
    const summed = chrfFromStats([6, 6, 5, 4, 4, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0], 2, false);
    expect(whole).toBeCloseTo(summed, 12);
  });

  it('picks the reference with the best F-score per segment', () => {
    const best = chrf(['the cat sat'], [['a dog ran', 'the cat sat']]).score;
    expect(best).toBe(100);
  });

  it('emits the sacrebleu 2.x signature', () => {
    expect(chrf(['a'], [['a']]).signature).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1');
    expect(chrf(['a', 'b'], [['a'], ['b', 'c']], { wordOrder: 2, lowercase: true, epsSmoothing: true, whitespace: true })
      .signature).toBe('nrefs:var|case:lc|eff:no|nc:6|nw:2|space:yes|version:2.5.1');
  });

  it('lowercases when asked; an empty corpus scores 0', () => {
    expect(chrf(['ABC'], [['abc']], { lowercase: true }).score).toBe(100);
    expect(chrf(['ABC'], [['abc']]).score).toBe(0);
    expect(chrf([], []).score).toBe(0);
  });

  it('rejects bad input with typed errors naming the values', () => {
    expect(() => chrf(['a'], [['a'], ['b']])).toThrow(/1 hypotheses but 2 reference lists/);
    expect(() => chrf(['a'], [['']])).toThrow(ShapeError);
    expect(() => chrf([null as unknown as string], [['a']])).toThrow(/hypotheses\[0\] must be a string, got null null/);
    expect(() => sentenceChrf('a', 'a' as unknown as string[])).toThrow(ConfigError);
    expect(() => chrf(['a'], [['a']], { charOrder: 0, wordOrder: 0 })).toThrow(RangeArgumentError);
    expect(() => chrf(['a'], [['a']], { charOrder: 2.5 })).toThrow(/charOrder must be an integer >= 0, got number 2.5/);
    expect(() => chrf(['a'], [['a']], { beta: -1 })).toThrow(RangeArgumentError);
  });
});
