import { describe, expect, it } from 'vitest';
import { lcsIndices, lcsLength, unionLcs } from '../../src/metrics/rouge-lcs.js';

const s = (...xs: number[]): string[] => xs.map(String);

describe('LCS helpers (rouge-score rouge_scorer_test.py)', () => {
  it('testLcsTable: length and one LCS as indices into ref', () => {
    const ref = s(1, 2, 3, 4, 5);
    expect(lcsLength(ref, s(2, 5, 3, 4))).toBe(3);
    expect(lcsIndices(ref, s(2, 5, 3, 4))).toEqual([1, 2, 3]);
    expect(lcsLength(ref, s(8, 9))).toBe(0);
    expect(lcsIndices(ref, s(8, 9))).toEqual([]);
    expect(lcsLength([], ref)).toBe(0);
    expect(lcsLength(ref, [])).toBe(0);
  });

  it('breaks ties as _backtrack_norec does', () => {
    // 'a' and 'b' are both an LCS of length 1; on a tie the walk steps back in ref, keeping 'a'.
    expect(lcsIndices(['a', 'b'], ['b', 'a'])).toEqual([0]);
    expect(lcsIndices(['b', 'a'], ['a', 'b'])).toEqual([0]);
  });

  it('testUnionLcs: the example of Lin (2004) section 3.2', () => {
    expect(unionLcs(s(1, 2, 3, 4, 5), [s(1, 2, 6, 7, 8), s(1, 3, 8, 9, 5)])).toEqual(s(1, 2, 3, 5));
    expect(unionLcs(s(1, 2, 3, 4, 5), [s(1, 3, 8, 9, 5), s(1, 2, 6, 7, 8)])).toEqual(s(1, 2, 3, 5));
    expect(unionLcs(s(1, 2), [])).toEqual([]);
  });

  it('lcsLength agrees with the full table on random sequences', () => {
    let x = 7;
    const next = (): string => String((x = (x * 48271) % 2147483647) % 4);
    for (let trial = 0; trial < 50; trial++) {
      const a = Array.from({ length: trial % 13 }, next);
      const b = Array.from({ length: (trial * 7) % 11 }, next);
      expect(lcsLength(a, b)).toBe(lcsIndices(a, b).length);
    }
  });
});
