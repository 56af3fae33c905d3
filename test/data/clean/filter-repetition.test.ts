import { describe, expect, it } from 'vitest';
import { cleanDocuments } from '../../../src/data/clean/clean-documents.js';
import { filterRepetition, GOPHER_REPETITION_THRESHOLDS } from '../../../src/data/clean/filter-repetition.js';
import { repetitionStats } from '../../../src/data/clean/repetition-stats.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';
import { repetitionCorpus } from './repetitive-documents.js';

const noop = (): void => undefined;

describe('repetitionStats follows the rule definitions', () => {
  it('counts duplicate lines and paragraphs, by number and by characters', () => {
    const text = 'aaaa\nbb\naaaa\n\ncc\n\naaaa\nbb\naaaa'; // length 30
    const stats = repetitionStats(text);
    // lines: aaaa bb aaaa cc aaaa bb aaaa -> repeats: aaaa x3, bb x1 = 4 of 7, 16 chars
    expect(stats.duplicateLineFraction).toBeCloseTo(4 / 7);
    expect(stats.duplicateLineCharFraction).toBeCloseTo(14 / 30);
    // paragraphs: 'aaaa\nbb\naaaa', 'cc', 'aaaa\nbb\naaaa' -> 1 repeat of 12 chars
    expect(stats.duplicateParagraphFraction).toBeCloseTo(1 / 3);
    expect(stats.duplicateParagraphCharFraction).toBeCloseTo(12 / 30);
  });

  it('measures the top 2-4-gram and duplicate 5-10-gram character fractions', () => {
    const text = 'the cat the cat the dog'; // 23 chars
    const stats = repetitionStats(text);
    expect(stats.topNgramCharFraction[2]).toBeCloseTo(12 / 23); // 'the cat' (6 word chars) x2
    expect(stats.topNgramCharFraction[3]).toBeCloseTo(18 / 23); // 'the cat the' (9) x2
    expect(stats.topNgramCharFraction[4]).toBe(0); // no 4-gram repeats
    const five = repetitionStats('a b c d e a b c d e'); // 19 chars; 'abcde' repeats once, 5 chars
    expect(five.duplicateNgramCharFraction[5]).toBeCloseTo(5 / 19);
    expect(five.duplicateNgramCharFraction[6]).toBe(0);
    const long = repetitionStats('one two three four five six seven one two three four five six seven');
    // 7-gram 'onetwothreefourfivesixseven' (27 chars) repeats once; 5-grams: the scan jumps 5 words at a time
    expect(long.duplicateNgramCharFraction[7]).toBeCloseTo(27 / 67);
    expect(long.duplicateNgramCharFraction[5]).toBeCloseTo('onetwothreefourfive'.length / 67);
  });

  it('uses character n-grams for Chinese', () => {
    const stats = repetitionStats('明月明月明月');
    expect(stats.topNgramCharFraction[2]).toBeCloseTo(1); // '明月' (2 chars) 3 times, of 6
    expect(stats.duplicateLineFraction).toBe(0);
  });
});

describe('filterRepetition', () => {
  const brown = brownDocuments(60);

  it('keeps the Gopher thresholds of Table A1', () => {
    expect(GOPHER_REPETITION_THRESHOLDS.duplicateLineFraction).toBe(0.3);
    expect(GOPHER_REPETITION_THRESHOLDS.topNgramCharFraction).toEqual({ 2: 0.2, 3: 0.18, 4: 0.16 });
    expect(GOPHER_REPETITION_THRESHOLDS.duplicateNgramCharFraction).toEqual({ 5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.1 });
  });

  it('names the first rule a crafted document breaks', () => {
    const step = filterRepetition();
    const lines = brown[0]!.split('\n');
    const reason = (text: string): unknown => step.apply(text, noop);
    expect(reason([lines[0], lines[1], lines[0], lines[1], lines[2]].join('\n'))).toEqual({ removed: 'duplicate-line-fraction' }); // 2 of 5
    const long = lines.slice(0, 12);
    const longest = long.reduce((a, b) => (b.length > a.length ? b : a));
    expect(reason([...long, longest, longest].join('\n'))).toEqual({ removed: 'duplicate-line-char-fraction' });
    expect(reason(`${long.slice(0, 2).join(' ')}${' buy now'.repeat(40)}`))
      .toEqual({ removed: 'top-2-gram-char-fraction' });
    expect(reason(`${long.slice(0, 6).join(' ')} ${long.slice(0, 2).join(' ')}`)).toMatchObject({ removed: expect.stringMatching(/^duplicate-\d+-gram-char-fraction$/) });
    expect(reason(lines.slice(0, 20).join('\n'))).toBe(lines.slice(0, 20).join('\n'));
  });

  it('keeps natural text (Brown, the poems) and removes spam built from it', async () => {
    const kept = cleanDocuments(brown, [filterRepetition()]);
    expect(await collect(kept)).toHaveLength(brown.length);
    const poems = cleanDocuments(readTextFiles(new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname, { split: { separatorLine: '%' } }), [filterRepetition()]);
    await collect(poems);
    // folk-song refrains repeat lines on purpose: a few poems go, the great majority stay
    expect(poems.report.steps[0]!.removed / poems.report.input).toBeLessThan(0.1);
    const spam = brown.slice(0, 20).map((doc) => { const l = doc.split('\n'); return [...l.slice(0, 10), ...l.slice(0, 10)].join('\n'); });
    const removed = cleanDocuments(spam, [filterRepetition()]);
    expect(await collect(removed)).toHaveLength(0);
    expect(removed.report.steps[0]!.reasons).toEqual({ 'duplicate-line-fraction': 20 });
  });

  it('takes overrides and validates them', () => {
    const text = 'x y\nx y\nz w'; // 1 duplicate line of 3
    expect(filterRepetition().apply(text, noop)).toEqual({ removed: 'duplicate-line-fraction' });
    expect(filterRepetition({ duplicateLineFraction: 0.5, duplicateLineCharFraction: 0.5, topNgramCharFraction: { 2: 1 } }).apply(text, noop)).toBe(text);
    expect(() => filterRepetition({ topNgramCharFraction: { 3: 1.5 } })).toThrowError(RangeArgumentError);
  });
});

describe('repetitionStats against an independent Python implementation', () => {
  it('matches fixtures/repetition-python.json on Brown documents and repetitive ones built from them', async () => {
    const { readFileSync } = await import('node:fs');
    const expected = JSON.parse(readFileSync(new URL('./fixtures/repetition-python.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>;
    const docs = repetitionCorpus();
    expect(expected).toHaveLength(docs.length);
    docs.forEach((doc, i) => {
      const stats = repetitionStats(doc);
      const want = expected[i]! as unknown as typeof stats;
      for (const key of ['duplicateLineFraction', 'duplicateParagraphFraction', 'duplicateLineCharFraction', 'duplicateParagraphCharFraction'] as const) {
        expect(stats[key], `doc ${i} ${key}`).toBeCloseTo(want[key], 12);
      }
      for (const n of [2, 3, 4] as const) expect(stats.topNgramCharFraction[n], `doc ${i} top ${n}`).toBeCloseTo(want.topNgramCharFraction[n], 12);
      for (const n of [5, 6, 7, 8, 9, 10] as const) expect(stats.duplicateNgramCharFraction[n], `doc ${i} dup ${n}`).toBeCloseTo(want.duplicateNgramCharFraction[n], 12);
    });
    // the crafted half breaks the rules, the natural half does not
    const step = filterRepetition();
    expect(docs.map((d) => typeof step.apply(d, noop) === 'string')).toEqual([...Array(8).fill(true), ...Array(8).fill(false)]);
  });
});
