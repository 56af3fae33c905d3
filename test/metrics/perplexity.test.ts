import { describe, expect, it } from 'vitest';
import { bitsPerByte, bitsPerCharacter, perplexity, PerplexityAccumulator, slidingWindows } from '../../src/metrics/perplexity.js';
import { RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

describe('perplexity and conversions', () => {
  it('perplexity of a uniform guess over V symbols is V', () => {
    expect(perplexity(7 * Math.log(50), 7)).toBeCloseTo(50, 10);
    expect(perplexity(0, 3)).toBe(1);
  });

  it('bits per byte / character: NLL in nats / (ln 2 · count)', () => {
    const text = '床前明月光'; // 5 characters, 15 UTF-8 bytes
    const nll = 5 * Math.log(4096); // each character given probability 1/4096: 12 bits
    expect(bitsPerCharacter(nll, [...text].length)).toBeCloseTo(12, 10);
    expect(bitsPerByte(nll, new TextEncoder().encode(text).length)).toBeCloseTo(4, 10);
  });

  it('rejects bad counts and sums with typed errors naming the values', () => {
    expect(() => perplexity(1, 0)).toThrow(new RangeArgumentError('tokenCount (0) must be a positive integer'));
    expect(() => perplexity(NaN, 2)).toThrow(/nllSum \(NaN\)/);
    expect(() => bitsPerByte(1, 1.5)).toThrow(/byteCount \(1.5\)/);
    expect(() => bitsPerCharacter(1, -1)).toThrow(/charCount \(-1\)/);
  });
});

describe('PerplexityAccumulator', () => {
  it('is token-weighted over batches and ignores padding', () => {
    const acc = new PerplexityAccumulator();
    acc.add([2.1, 1.7, 0.4, NaN], [1, 1, 1, 0]).add(new Float32Array([1.25, 0.75]));
    expect(acc.tokenCount).toBe(5);
    expect(acc.nllSum).toBeCloseTo(6.2, 12);
    expect(acc.meanNll()).toBeCloseTo(1.24, 12);
    expect(acc.perplexity()).toBeCloseTo(Math.exp(1.24), 12);
    // Not the mean of per-batch perplexities: the two batches weigh 3 and 2 tokens.
    expect(acc.perplexity()).not.toBeCloseTo((Math.exp(4.2 / 3) + Math.exp(1)) / 2, 3);
    acc.addSum(3.8, 5);
    expect(acc.perplexity()).toBeCloseTo(Math.exp(1), 12);
    expect(acc.bitsPerByte(10)).toBeCloseTo(10 / (Math.LN2 * 10), 12);
    expect(acc.bitsPerCharacter(5)).toBeCloseTo(10 / (Math.LN2 * 5), 12);
    acc.reset();
    expect(acc.tokenCount).toBe(0);
    expect(() => acc.perplexity()).toThrow(/tokenCount \(0\)/);
    expect(() => acc.meanNll()).toThrow(RangeArgumentError);
  });

  it('rejects bad masks and values', () => {
    const acc = new PerplexityAccumulator();
    expect(() => acc.add([1, 2], [1])).toThrow(new ShapeError('mask length (1) must equal nll length (2)'));
    expect(() => acc.add([1, 2], [1, 2])).toThrow(/mask\[1\] \(2\) must be 0 or 1/);
    expect(() => acc.add([1, Infinity])).toThrow(/nll\[1\] \(Infinity\)/);
    expect(() => acc.addSum(1, -2)).toThrow(/tokenCount \(-2\)/);
    expect(acc.tokenCount).toBe(0);
  });
});

describe('slidingWindows (Hugging Face perplexity guide)', () => {
  it('scores every token exactly once, in order, with stride-limited context', () => {
    for (const [n, ctx, stride] of [[10, 4, 2], [1024, 256, 128], [1000, 256, 256], [7, 16, 3], [1, 4, 1], [257, 256, 255]] as const) {
      const windows = slidingWindows(n, ctx, stride);
      let next = 0;
      for (const w of windows) {
        expect(w.targetBegin).toBe(next);
        expect(w.end - w.begin).toBeLessThanOrEqual(ctx);
        expect(w.begin).toBeLessThanOrEqual(w.targetBegin);
        expect(w.end).toBeGreaterThan(w.targetBegin);
        if (w.begin > 0) expect(w.targetBegin - w.begin).toBeGreaterThanOrEqual(ctx - stride);
        next = w.end;
      }
      expect(next).toBe(n);
    }
  });

  it('matches the guide loop on small cases', () => {
    expect(slidingWindows(10, 4, 2)).toEqual([
      { begin: 0, end: 4, targetBegin: 0 }, { begin: 2, end: 6, targetBegin: 4 },
      { begin: 4, end: 8, targetBegin: 6 }, { begin: 6, end: 10, targetBegin: 8 },
    ]);
    expect(slidingWindows(9, 4, 4)).toEqual([
      { begin: 0, end: 4, targetBegin: 0 }, { begin: 4, end: 8, targetBegin: 4 }, { begin: 8, end: 9, targetBegin: 8 },
    ]);
    expect(slidingWindows(3, 8, 4)).toEqual([{ begin: 0, end: 3, targetBegin: 0 }]);
    expect(slidingWindows(0, 8, 4)).toEqual([]);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => slidingWindows(10, 4, 5)).toThrow(new RangeArgumentError('stride (5) must be an integer in 1..contextLength (4)'));
    expect(() => slidingWindows(10, 0, 1)).toThrow(/contextLength \(0\)/);
    expect(() => slidingWindows(-1, 4, 1)).toThrow(/numTokens \(-1\)/);
  });
});
