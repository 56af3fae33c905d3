import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bleu, sentenceBleu } from '../../src/metrics/bleu.js';
import type { BleuSmoothing } from '../../src/metrics/bleu-options.js';

// Differential test against NLTK 3.8 corpus_bleu / sentence_bleu on Brown-corpus sentences,
// written by scripts/fixtures/bleu_nltk.py. Pre-tokenised text -> tokenize 'none'; NLTK
// SmoothingFunction method0/method1(epsilon 0.1)/method3 -> smooth none/floor(0.1)/exp;
// effective order off (NLTK has none); NLTK is 0-1, we are 0-100.
interface Fixture {
  segments: { hyp: string; refs: string[] }[];
  corpus: { segments: number; maxOrder: number; smooth: BleuSmoothing; bleu: number }[];
  sentence: { segment: number; maxOrder: number; smooth: BleuSmoothing; bleu: number }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/bleu-nltk.json', import.meta.url), 'utf8'),
) as Fixture;
const options = (smooth: BleuSmoothing, maxOrder: number) =>
  ({ tokenize: 'none', smooth, maxOrder, effectiveOrder: false }) as const;

describe('BLEU against NLTK', () => {
  it('corpus_bleu', () => {
    for (const c of fixture.corpus) {
      const segments = fixture.segments.slice(0, c.segments);
      const result = bleu(segments.map((s) => s.hyp), segments.map((s) => s.refs), options(c.smooth, c.maxOrder));
      expect(Math.abs(result.score / 100 - c.bleu)).toBeLessThan(1e-12);
    }
  });

  it('sentence_bleu', () => {
    for (const c of fixture.sentence) {
      const segment = fixture.segments[c.segment] as Fixture['segments'][number];
      const result = sentenceBleu(segment.hyp, segment.refs, options(c.smooth, c.maxOrder));
      expect(Math.abs(result.score / 100 - c.bleu)).toBeLessThan(1e-12);
    }
  });
});
