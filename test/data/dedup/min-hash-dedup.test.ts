import { describe, expect, it } from 'vitest';
import { lshCandidateProbability, lshThreshold } from '../../../src/data/dedup/lsh-probability.js';
import { MinHasher } from '../../../src/data/dedup/min-hash.js';
import { minHashDedup, MinHashDeduplicator } from '../../../src/data/dedup/min-hash-dedup.js';
import { shingleHashes } from '../../../src/data/dedup/shingles.js';
import type { DuplicateEvent } from '../../../src/data/dedup/duplicate-event.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';
import { editWords, exactJaccard } from './planted-duplicates.js';

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Theory: probability that a pair of true similarity j is found (LSH candidate, then estimate >= t). */
function detectionProbability(j: number, bands: number, rows: number, t: number): number {
  const sd = Math.sqrt(Math.max(j * (1 - j), 1e-9) / (bands * rows));
  return lshCandidateProbability(j, bands, rows) * normalCdf((j - t) / sd);
}

describe('MinHash', () => {
  it('estimates Jaccard similarity within its standard error', () => {
    const rng = new Rng(3);
    const hasher = new MinHasher(256, 7);
    for (const j of [0.2, 0.5, 0.8]) {
      // two sets of 1000 hashes sharing a chosen number
      const common = Math.round((2000 * j) / (1 + j));
      const shared = Array.from({ length: common }, () => rng.nextUint32());
      const a = Uint32Array.from([...shared, ...Array.from({ length: 1000 - common }, () => rng.nextUint32())]);
      const b = Uint32Array.from([...shared, ...Array.from({ length: 1000 - common }, () => rng.nextUint32())]);
      const truth = common / (2000 - common);
      expect(Math.abs(MinHasher.similarity(hasher.signature(a), hasher.signature(b)) - truth)).toBeLessThan(4 * Math.sqrt(truth * (1 - truth) / 256));
    }
  });

  it('is deterministic by seed', () => {
    const s = shingleHashes('a b c d e f g h', 3, 'word');
    expect(new MinHasher(16, 1).signature(s)).toEqual(new MinHasher(16, 1).signature(s));
    expect(new MinHasher(16, 1).signature(s)).not.toEqual(new MinHasher(16, 2).signature(s));
  });

  it('has the textbook S-curve', () => {
    expect(lshCandidateProbability(0.8, 16, 8)).toBeCloseTo(0.9473, 3);
    expect(lshCandidateProbability(0.5, 16, 8)).toBeCloseTo(0.0607, 3);
    expect(lshThreshold(16, 8)).toBeCloseTo(0.7071, 3);
  });
});

describe('minHashDedup on planted near-duplicates of Brown documents', () => {
  it('measures precision and recall consistent with the LSH theory for 16 bands x 8 rows, threshold 0.8', async () => {
    const base = brownDocuments(120).map((d) => d.replace(/\n/g, ' '));
    const rng = new Rng(2024);
    const planted: Array<{ text: string; source: number; jaccard: number }> = [];
    for (let i = 0; i < 90; i++) {
      const source = rng.nextInt(base.length);
      // light edits (true similarity ~0.85-0.98), edits near the threshold (~0.7-0.85), heavy edits (~0.3-0.6)
      const rate = [0.002 + 0.01 * rng.nextFloat(), 0.012 + 0.012 * rng.nextFloat(), 0.04 + 0.06 * rng.nextFloat()][i % 3]!;
      const text = editWords(base[source]!, rate, rng);
      planted.push({ text, source, jaccard: exactJaccard(base[source]!, text, 5, 'word') });
    }
    const events: DuplicateEvent[] = [];
    const docs = [...base, ...planted.map((p) => p.text)];
    const deduped = minHashDedup(docs, { onDuplicate: (e) => events.push(e) });
    const kept = await collect(deduped);

    // precision: every removal must be a true near-duplicate (exact Jaccard >= 0.8 with its match)
    const trueRemovals = events.filter((e) => exactJaccard(docs[e.duplicateOf]!, docs[e.index]!, 5, 'word') >= 0.8).length;
    const precision = trueRemovals / events.length;
    // recall: planted copies whose exact similarity to their source reaches the threshold
    const positives = planted.map((p, i) => ({ ...p, index: base.length + i })).filter((p) => p.jaccard >= 0.8);
    const removed = new Set(events.map((e) => e.index));
    const recall = positives.filter((p) => removed.has(p.index)).length / positives.length;
    const expectedRecall = positives.reduce((sum, p) => sum + detectionProbability(p.jaccard, 16, 8, 0.8), 0) / positives.length;

    expect(positives.length).toBeGreaterThan(25);
    expect(events.every((e) => e.index >= base.length)).toBe(true); // no Brown original removed
    // theory: a planted pair below the threshold is still removed with probability detectionProbability(j)
    const negatives = planted.filter((p) => p.jaccard < 0.8);
    const expectedFalse = negatives.reduce((sum, p) => sum + detectionProbability(p.jaccard, 16, 8, 0.8), 0);
    if (process.env.WORDFORGE_PRINT_PR) process.stdout.write(`planted ${planted.length}, positives ${positives.length}, removed ${events.length}, precision ${precision}, recall ${recall}, expected ${expectedRecall.toFixed(4)}, false ${events.length - trueRemovals} (expected ${expectedFalse.toFixed(2)}), near-threshold ${planted.filter((p) => p.jaccard > 0.7 && p.jaccard < 0.9).length}, report ${JSON.stringify(deduped.report)}\n`);
    expect(events.length - trueRemovals).toBeLessThanOrEqual(expectedFalse + 3 * Math.sqrt(expectedFalse) + 1);
    // measured with these seeds: 41 removals, 5 of them pairs at 0.7-0.8 (theory: 4.3), precision 0.88
    expect(precision).toBeGreaterThanOrEqual(0.85);
    expect(events.every((e) => exactJaccard(docs[e.duplicateOf]!, docs[e.index]!, 5, 'word') >= 0.7)).toBe(true);
    // misses within what the S-curve predicts (a count bound that holds for small expectations too)
    const misses = positives.filter((p) => !removed.has(p.index)).length;
    const expectedMisses = positives.length * (1 - expectedRecall);
    expect(misses).toBeLessThanOrEqual(expectedMisses + 3 * Math.sqrt(expectedMisses) + 1);
    expect(recall).toBeGreaterThanOrEqual(0.85); // measured 0.923 (36 of 39), theory 0.938
    const clear = positives.filter((p) => p.jaccard >= 0.85);
    const clearRecall = clear.filter((p) => removed.has(p.index)).length / clear.length;
    expect(clearRecall).toBeGreaterThanOrEqual(0.9); // measured 29 of 31: the two misses (0.851, 0.858) were estimated at 0.797 and 0.789
    // the estimator is calibrated on these real pairs: standardised errors have mean ~0 and sd ~1
    const hasher = new MinHasher(128, 0);
    const z = planted.map((p) => {
      const estimate = MinHasher.similarity(hasher.signature(shingleHashes(base[p.source]!, 5, 'word')), hasher.signature(shingleHashes(p.text, 5, 'word')));
      return (estimate - p.jaccard) / Math.sqrt(p.jaccard * (1 - p.jaccard) / 128);
    });
    const zMean = z.reduce((a, b) => a + b, 0) / z.length;
    const zSd = Math.sqrt(z.reduce((a, b) => a + (b - zMean) ** 2, 0) / z.length);
    expect(Math.abs(zMean)).toBeLessThan(3 / Math.sqrt(z.length));
    expect(zSd).toBeGreaterThan(0.75);
    expect(zSd).toBeLessThan(1.25);
    expect(kept.length).toBe(docs.length - events.length);
    expect(deduped.report).toMatchObject({ documents: docs.length, removed: events.length, kept: kept.length });
    expect(deduped.report.verifiedPairs).toBeGreaterThanOrEqual(events.length);
    expect(deduped.report.candidatePairs).toBeGreaterThanOrEqual(deduped.report.verifiedPairs);
  });
});

describe('minHashDedup on the Tang poems (CJK: each character is a word, so shingles are character n-grams)', () => {
  it('finds copies with one character changed and keeps every original', async () => {
    const poems = await collect(readTextFiles(new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname, { split: { separatorLine: '%' } }));
    const rng = new Rng(5);
    const long = poems.filter((p) => p.length >= 80);
    const copies = long.slice(0, 40).map((p) => {
      const at = 40 + rng.nextInt(p.length - 40);
      return p.slice(0, at) + (p[at] === '月' ? '日' : '月') + p.slice(at + 1);
    });
    const events: DuplicateEvent[] = [];
    const deduped = minHashDedup([...poems, ...copies], { shingleSize: 3, onDuplicate: (e) => events.push(e) });
    await collect(deduped);
    expect(events.filter((e) => e.index < poems.length)).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(38);
    for (const e of events) expect(poems[e.duplicateOf]).toBe(long[e.index - poems.length]);
  });
});

describe('MinHashDeduplicator', () => {
  it('checks documents one at a time and keeps the first of a cluster', () => {
    const dedup = new MinHashDeduplicator({ shingleSize: 2, seed: 9 });
    expect(dedup.check('the quick brown fox jumps over the lazy dog')).toEqual({ duplicateOf: undefined, similarity: 0 });
    expect(dedup.check('The quick brown fox jumps over the lazy dog!')).toEqual({ duplicateOf: 0, similarity: 1 });
    expect(dedup.check('an entirely different sentence about nothing much').duplicateOf).toBeUndefined();
    expect(dedup.report).toMatchObject({ documents: 3, kept: 2, removed: 1 });
  });

  it('validates its options', () => {
    expect(() => new MinHashDeduplicator({ bands: 10, rows: 5, numPermutations: 128 })).toThrowError(RangeArgumentError);
    expect(() => new MinHashDeduplicator({ threshold: 0 })).toThrowError(/threshold \(0\)/);
    expect(() => minHashDedup([], { shingleSize: 0 })).toThrowError(/shingleSize \(0\)/);
  });
});
