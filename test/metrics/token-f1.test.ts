import { describe, expect, it } from 'vitest';
import { tokenF1 } from '../../src/metrics/token-f1.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

describe('tokenF1 (SQuAD v1.1 f1_score, max over references)', () => {
  it('matches the Python script', () => {
    // Values printed by the SQuAD v1.1 f1_score under Python 3.11.
    expect(tokenF1('the tall Eiffel Tower', 'Eiffel Tower')).toBeCloseTo(0.8, 12);
    expect(tokenF1('a b b c', 'b b b d')).toBeCloseTo(0.5714285714285715, 12);
    expect(tokenF1('the', 'a')).toBe(0); // both empty after normalisation: 0 in v1.1
  });

  it('takes the best reference', () => {
    expect(tokenF1('Eiffel Tower', ['Paris', 'the Eiffel Tower', 'tower'])).toBe(1);
    expect(tokenF1('Eiffel Tower', ['Paris', 'tower'])).toBeCloseTo(2 / 3, 12);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => tokenF1('a', [])).toThrow(RangeArgumentError);
    expect(() => tokenF1(undefined as unknown as string, 'a')).toThrow(ConfigError);
  });
});
