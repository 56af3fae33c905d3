import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distinctN } from '../../src/metrics/distinct-n.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

const tang300 = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8');

describe('distinctN', () => {
  it('counts distinct n-grams over the whole set, not crossing texts', () => {
    const texts = ['i do not know', 'i do not know', 'i like cats'];
    expect(distinctN(texts, 1)).toBeCloseTo(6 / 11, 12);
    expect(distinctN(texts, 2)).toBeCloseTo(5 / 8, 12);
    expect(distinctN(texts, 3)).toBeCloseTo(3 / 5, 12);
    expect(distinctN(['a b', 'c d'], 2)).toBe(1); // 'b c' would only appear across the boundary
  });

  it('accepts token arrays: Chinese poems as characters are far more diverse than one line repeated', () => {
    const chars = tang300.split('\n').slice(0, 200).map((line) => [...line]);
    const repeated = Array.from({ length: 200 }, () => [...'床前明月光']);
    expect(distinctN(chars, 2)).toBeGreaterThan(0.5);
    expect(distinctN(repeated, 2)).toBeCloseTo(4 / 800, 12);
  });

  it('gives 0 when there is no n-gram', () => {
    expect(distinctN([], 1)).toBe(0);
    expect(distinctN(['one', ''], 2)).toBe(0);
  });

  it('rejects bad n and texts with typed errors naming the values', () => {
    expect(() => distinctN(['a'], 0)).toThrow(new RangeArgumentError('n (0) must be a positive integer'));
    expect(() => distinctN('a b' as unknown as string[], 1)).toThrow(ConfigError);
    expect(() => distinctN(['a', 3 as unknown as string], 1)).toThrow(/texts\[1\] must be a string or an array of strings, got 3/);
  });
});
