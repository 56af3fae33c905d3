import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noiseSpanCounts, randomSpansNoiseMask, spanCorruptionLengths } from '../../../src/data/collate/random-spans-noise-mask.js';
import { collateSpanCorruption, spanCorrupt } from '../../../src/data/collate/span-corruption.js';
import { IGNORE_INDEX } from '../../../src/data/causal-lm-batch.js';
import { validateSeq2SeqBatch } from '../../../src/data/seq2seq-batch.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';

const poems = readFileSync(new URL('../../../../shared/data/tang300.txt', import.meta.url), 'utf8')
  .split(/^%$/m).map((p) => p.trim()).filter(Boolean);
const tokenizer = CharTokenizer.fromText(poems.join('\n'), { specialTokens: ['<pad>', '</s>'] });
const EOS = 1;
const vocabSize = tokenizer.vocabSize + 100; // 100 sentinel ids above the characters, as T5's vocabulary
const documents = poems.map((p) => tokenizer.encode(p));

/** Lengths of the runs of ones in a 0/1 mask. */
function runs(mask: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    if (i === 0 || mask[i - 1] !== 1) out.push(0);
    out[out.length - 1]! += 1;
  }
  return out;
}

describe('noiseSpanCounts', () => {
  it('matches T5 (float32, round half to even, at least one noise token, span and non-noise token)', () => {
    // [length, noise tokens, spans] from numpy float32 with np.round, as tf.round computes them
    const table = [[1, 1, 1], [2, 1, 1], [3, 1, 1], [10, 2, 1], [13, 2, 1], [20, 3, 1], [30, 4, 1], [31, 5, 2],
      [50, 8, 3], [100, 15, 5], [114, 17, 6], [512, 77, 26], [568, 85, 28]];
    for (const [length, noiseTokens, noiseSpans] of table) {
      expect(noiseSpanCounts(length!, { noiseDensity: 0.15, meanSpanLength: 3 }), `length ${length}`).toEqual({ noiseTokens, noiseSpans });
    }
    expect(() => noiseSpanCounts(10, { noiseDensity: 1 })).toThrowError(RangeArgumentError);
    expect(() => noiseSpanCounts(10, { meanSpanLength: 0.5 })).toThrowError('meanSpanLength (0.5) must be at least 1');
  });
});

describe('randomSpansNoiseMask', () => {
  it('has exactly the configured counts, starts with non-noise, ends with noise', () => {
    const rng = new Rng(0);
    for (const length of [2, 7, 31, 64, 100, 257, 512]) {
      const { noiseTokens, noiseSpans } = noiseSpanCounts(length, {});
      for (let i = 0; i < 50; i++) {
        const mask = randomSpansNoiseMask(length, {}, rng);
        expect(mask.reduce((a, b) => a + b, 0)).toBe(noiseTokens);
        expect(runs(mask)).toHaveLength(noiseSpans);
        expect(mask[0]).toBe(0);
        expect(mask[length - 1]).toBe(1);
      }
    }
  });

  it('gives the configured noise density and mean span length over many samples, spans placed at random', () => {
    const rng = new Rng(1);
    for (const [density, meanSpan] of [[0.15, 3], [0.3, 5], [0.5, 8]] as const) {
      let noise = 0, total = 0;
      const spans: number[] = [];
      const firstStart = new Map<number, number>();
      for (let i = 0; i < 400; i++) {
        const mask = randomSpansNoiseMask(600, { noiseDensity: density, meanSpanLength: meanSpan }, rng);
        noise += mask.reduce((a, b) => a + b, 0);
        total += mask.length;
        spans.push(...runs(mask));
        const start = mask.indexOf(1);
        firstStart.set(start, (firstStart.get(start) ?? 0) + 1);
      }
      expect(Math.abs(noise / total - density)).toBeLessThan(0.002);
      const mean = spans.reduce((a, b) => a + b, 0) / spans.length;
      expect(Math.abs(mean - meanSpan) / meanSpan).toBeLessThan(0.05);
      // span lengths vary (a random segmentation, not fixed-length spans)
      expect(new Set(spans).size).toBeGreaterThan(3);
      expect(firstStart.size).toBeGreaterThan(10);
    }
  });

  it('is all non-noise at density 0 and reproducible from the generator state', () => {
    expect([...randomSpansNoiseMask(10, { noiseDensity: 0 }, new Rng(0))]).toEqual(new Array(10).fill(0));
    expect(randomSpansNoiseMask(100, {}, new Rng(9))).toEqual(randomSpansNoiseMask(100, {}, new Rng(9)));
  });
});

/** Rebuilds the original tokens from a span-corrupted source and target. */
function uncorrupt(source: number[], target: number[], isSentinel: (id: number) => boolean): number[] {
  const spans = new Map<number, number[]>();
  let current = -1;
  for (const id of target.slice(0, -1)) {
    if (isSentinel(id)) spans.set((current = id), []);
    else spans.get(current)!.push(id);
  }
  return source.slice(0, -1).flatMap((id) => (isSentinel(id) ? spans.get(id)! : [id]));
}

interface ReferenceCase {
  length: number; noiseDensity: number; meanSpanLength: number; samples: number;
  positionFrequency: number[]; spanLengthShare: Record<string, number>;
}

describe('randomSpansNoiseMask against the T5 reference (numpy port, scripts/fixtures/t5_span_reference.py)', () => {
  const reference = JSON.parse(readFileSync(new URL('../../fixtures/t5-span-reference.json', import.meta.url), 'utf8')) as { cases: ReferenceCase[] };
  /** Expects two sampled proportions to agree within 5 standard errors. */
  const expectSameRate = (mine: number, n: number, theirs: number, m: number, what: string): void => {
    const p = (mine * n + theirs * m) / (n + m);
    const bound = 5 * Math.sqrt(p * (1 - p) * (1 / n + 1 / m)) + 1e-4;
    expect(Math.abs(mine - theirs), `${what}: ${mine} vs ${theirs}`).toBeLessThan(bound);
  };
  it.each(reference.cases.map((c) => [c.length, c.noiseDensity, c.meanSpanLength, c] as const))(
    'length %i, density %f, mean span %f: same noise frequency at every position and same span lengths', (length, noiseDensity, meanSpanLength, c) => {
      const rng = new Rng(11);
      const samples = 20_000;
      const frequency = new Array<number>(length).fill(0);
      const spans = new Map<number, number>();
      for (let i = 0; i < samples; i++) {
        const mask = randomSpansNoiseMask(length, { noiseDensity, meanSpanLength }, rng);
        mask.forEach((bit, t) => (frequency[t]! += bit));
        for (const run of runs(mask)) spans.set(run, (spans.get(run) ?? 0) + 1);
      }
      frequency.forEach((f, t) => expectSameRate(f / samples, samples, c.positionFrequency[t]!, c.samples, `position ${t}`));
      const spanCount = [...spans.values()].reduce((a, b) => a + b, 0);
      for (const [run, share] of Object.entries(c.spanLengthShare)) {
        expectSameRate((spans.get(Number(run)) ?? 0) / spanCount, spanCount, share, spanCount * (c.samples / samples), `span length ${run}`);
      }
    });
});

describe('spanCorrupt on Tang poems', () => {
  it('replaces noise spans by sentinels counted down from the top of the vocabulary; source + target give back the poem', () => {
    const rng = new Rng(2);
    const isSentinel = (id: number): boolean => id >= tokenizer.vocabSize;
    for (const ids of documents) {
      const { source, target } = spanCorrupt(ids, { vocabSize, eosId: EOS }, rng);
      const [src, tgt] = [Array.from(source), Array.from(target)];
      expect(src.at(-1)).toBe(EOS);
      expect(tgt.at(-1)).toBe(EOS);
      const { noiseTokens, noiseSpans } = noiseSpanCounts(ids.length, {});
      const sentinels = src.filter(isSentinel);
      expect(sentinels).toEqual(Array.from({ length: noiseSpans }, (_, k) => vocabSize - 1 - k));
      expect(tgt[0]).toBe(vocabSize - 1);
      expect(tgt.filter(isSentinel)).toEqual(sentinels);
      expect(src.length).toBe(ids.length - noiseTokens + noiseSpans + 1);
      expect(tgt.length).toBe(noiseTokens + noiseSpans + 1);
      expect(uncorrupt(src, tgt, isSentinel)).toEqual(ids);
    }
  });

  it('the example of the docs: [a b c d e f] with noise on b c and f', () => {
    // find a seed giving that mask, then check the exact layout
    let seed = 0;
    const target = [0, 1, 1, 0, 0, 1];
    for (; seed < 10_000; seed++) {
      const mask = randomSpansNoiseMask(6, { noiseDensity: 0.5, meanSpanLength: 1.5 }, new Rng(seed));
      if (mask.join() === target.join()) break;
    }
    const pair = spanCorrupt([10, 11, 12, 13, 14, 15], { noiseDensity: 0.5, meanSpanLength: 1.5, sentinelIds: [90, 91, 92], eosId: EOS }, new Rng(seed));
    expect(pair).toEqual({ source: [10, 90, 13, 14, 91, EOS], target: [90, 11, 12, 91, 15, EOS] });
  });

  it('takes sentinel ids from the tokenizer, and names the shortage', () => {
    const ids = documents[0]!;
    const rng = new Rng(4);
    const { noiseSpans } = noiseSpanCounts(ids.length, {});
    expect(noiseSpans).toBeGreaterThan(1);
    expect(() => spanCorrupt(ids, { sentinelIds: [500], eosId: EOS }, rng)).toThrowError('span 1 needs sentinel 1 but only 1 sentinelIds were given');
    expect(() => spanCorrupt(ids, { eosId: EOS }, rng)).toThrowError(RangeArgumentError);
  });
});

describe('spanCorruptionLengths', () => {
  it('gives T5\'s packing lengths (512 inputs: 568 raw tokens, 114 targets) and corrupted pairs of exactly those lengths', () => {
    expect(spanCorruptionLengths(512)).toEqual({ tokensLength: 568, inputsLength: 512, targetsLength: 114 });
    const rng = new Rng(6);
    for (const [inputs, options] of [[512, {}], [128, { noiseDensity: 0.3, meanSpanLength: 5 }], [57, {}]] as const) {
      const lengths = spanCorruptionLengths(inputs, options);
      const tokens = documents.flat().slice(0, lengths.tokensLength);
      const { source, target } = spanCorrupt(tokens, { ...options, vocabSize, eosId: EOS }, rng);
      expect([source.length, target.length]).toEqual([lengths.inputsLength, lengths.targetsLength]);
      expect(lengths.inputsLength).toBeLessThanOrEqual(inputs);
      const longer = noiseSpanCounts(lengths.tokensLength + 1, options);
      expect(lengths.tokensLength + 1 - longer.noiseTokens + longer.noiseSpans + 1).toBeGreaterThan(inputs);
    }
  });
});

describe('collateSpanCorruption', () => {
  it('pads a valid seq2seq batch, labels -100 on padding, decoder inputs shifted', () => {
    const options = { vocabSize, eosId: EOS, padId: 0, decoderStartId: 0, seed: 3 };
    const batch = collateSpanCorruption(documents.slice(0, 8), options);
    validateSeq2SeqBatch(batch, vocabSize);
    expect(collateSpanCorruption(documents.slice(0, 8), options)).toEqual(batch);
    for (let row = 0; row < 8; row++) {
      const labels = batch.labels.subarray(row * batch.targetLength, (row + 1) * batch.targetLength);
      const decoder = batch.decoderInputIds!.subarray(row * batch.targetLength, (row + 1) * batch.targetLength);
      const mask = batch.decoderAttentionMask!.subarray(row * batch.targetLength, (row + 1) * batch.targetLength);
      const n = mask.reduce((a, b) => a + b, 0);
      expect(labels[0]).toBe(vocabSize - 1);
      expect(labels[n - 1]).toBe(EOS);
      expect([...labels.subarray(n)].every((l) => l === IGNORE_INDEX)).toBe(true);
      expect(decoder[0]).toBe(0);
      expect([...decoder.subarray(1, n)]).toEqual([...labels.subarray(0, n - 1)]);
    }
  });
});
