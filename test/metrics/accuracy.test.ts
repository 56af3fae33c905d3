import { describe, expect, it } from 'vitest';
import { accuracy } from '../../src/metrics/accuracy.js';
import { ConfigError, RangeArgumentError, ShapeError } from '../../src/utils/errors.js';

describe('accuracy', () => {
  it('is the fraction of equal positions, for arrays and typed arrays', () => {
    expect(accuracy(['pos', 'neg', 'pos'], ['pos', 'pos', 'pos'])).toBeCloseTo(2 / 3, 12);
    expect(accuracy(new Int32Array([1, 2, 3, 4]), new Int32Array([1, 2, 3, 4]))).toBe(1);
    expect(accuracy([true, false], [false, true])).toBe(0);
  });

  it('rejects mismatched, empty and non-array input with typed errors naming the values', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(new ShapeError('accuracy: predictions (2) and labels (1) must have the same length'));
    expect(() => accuracy([], [])).toThrow(RangeArgumentError);
    expect(() => accuracy(5 as unknown as number[], [5])).toThrow(/predictions must be an array, got number \(5\)/);
    expect(() => accuracy([1], null as unknown as number[])).toThrow(ConfigError);
  });
});
