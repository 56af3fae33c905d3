import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bleu, sentenceBleu } from '../../src/metrics/bleu.js';
import { chrf } from '../../src/metrics/chrf.js';

// Tang poems (../shared/data/tang300.txt from the repository root): entries separated by '%'
// lines, each a title line, an author line, then verse lines.
const text = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8');
const poems = text.split(/^%$/m)
  .map((entry) => entry.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(2).join(''))
  .filter((poem) => poem.length >= 20);
const zh = { tokenize: 'zh' } as const;

describe('BLEU with zh tokenisation on Tang poems', () => {
  it('has poems to score', () => {
    expect(poems.length).toBeGreaterThan(250);
  });

  it('identical text scores 100', () => {
    const some = poems.slice(0, 50);
    expect(bleu(some, some.map((p) => [p]), zh).score).toBeCloseTo(100, 10);
    expect(sentenceBleu(poems[0] as string, [poems[0] as string], zh).score).toBeCloseTo(100, 10);
  });

  it('a poem scored against a different poem is near 0, and far below a lightly edited copy', () => {
    const hyps = poems.slice(0, 50);
    const others = poems.slice(50, 100).map((p) => [p]);
    const disjoint = bleu(hyps, others, zh);
    // Measured: BLEU 0.068; precisions 21.8 / 0.61 / 0.011 / 0.0055 (shared characters and
    // punctuation, almost no shared 3- and 4-grams).
    expect(disjoint.score).toBeLessThan(0.5);
    expect(disjoint.precisions[3]).toBeLessThan(0.1);
    // Drop every 7th character: most n-grams survive (measured: BLEU 61.2, BP 0.845).
    const edited = hyps.map((p) => Array.from(p).filter((_, i) => i % 7 !== 3).join(''));
    const close = bleu(edited, hyps.map((p) => [p]), zh).score;
    expect(close).toBeGreaterThan(50);
    expect(close).toBeLessThan(100);
  });

  it('tokenisation matters: without zh a poem line is one token', () => {
    const hyp = poems[0] as string;
    const ref = Array.from(hyp).reverse().join('');
    expect(sentenceBleu(hyp, [ref], { tokenize: '13a' }).counts[0]).toBe(0);
    expect(sentenceBleu(hyp, [ref], zh).counts[0]).toBeGreaterThan(10);
    expect(chrf([hyp], [[hyp]]).score).toBe(100);
  });
});
