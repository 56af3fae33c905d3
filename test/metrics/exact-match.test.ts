import { describe, expect, it } from 'vitest';
import { exactMatch, normalizeAnswer, referenceList } from '../../src/metrics/exact-match.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

describe('normalizeAnswer (SQuAD v1.1 normalize_answer)', () => {
  it('matches the Python script on tricky inputs', () => {
    // Expected strings printed by the SQuAD v1.1 normalize_answer under Python 3.11.
    const cases: [string, string][] = [
      ['The  Eiffel-Tower!', 'eiffeltower'],
      ['A cat, an apple and THE dog', 'cat apple and dog'],
      ['theatre a_b an1 la\u00a0the\u3000é', 'theatre ab an1 la é'],
      ['Ünïcode the\u0301 café an', 'ünïcode \u0301 café'],
      ["the's a-n", 'thes'],
      ['', ''],
    ];
    for (const [input, expected] of cases) expect(normalizeAnswer(input)).toBe(expected);
  });
});

describe('exactMatch', () => {
  it('is 1 when any reference matches after normalisation, else 0', () => {
    expect(exactMatch('the Eiffel Tower.', ['Eiffel Tower', 'la tour Eiffel'])).toBe(1);
    expect(exactMatch('Eiffel', ['Eiffel Tower', 'la tour Eiffel'])).toBe(0);
    expect(exactMatch('Paris', 'paris!')).toBe(1);
    expect(exactMatch('the', 'an')).toBe(1); // both normalise to ''
  });

  it('rejects bad input with typed errors naming the values', () => {
    expect(() => exactMatch(3 as unknown as string, 'a')).toThrow(new ConfigError('answers must be strings, got number (3)'));
    expect(() => exactMatch('a', [])).toThrow(RangeArgumentError);
    expect(() => exactMatch('a', ['b', null as unknown as string])).toThrow(/object \(null\)/);
    expect(() => referenceList(5 as unknown as string)).toThrow(/number \(5\)/);
  });
});
