import { describe, expect, it } from 'vitest';
import { checkTokenIds, IGNORE_INDEX, validateCausalLMBatch } from '../../src/data/causal-lm-batch.js';
import { sampleWindows } from '../../src/data/sample-windows.js';
import { RangeArgumentError, ShapeError, VocabularyError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';

describe('checkTokenIds', () => {
  it('names the first id outside the vocabulary and its position', () => {
    expect(() => checkTokenIds([0, 5, 9, 10], 10, 'prompt')).toThrowError(VocabularyError);
    expect(() => checkTokenIds([0, 5, 9, 10], 10, 'prompt')).toThrowError('prompt[3] = 10 is outside the vocabulary [0, 10)');
    expect(() => checkTokenIds([-1], 10, 'ids')).toThrowError('ids[0] = -1');
    expect(() => checkTokenIds([1.5], 10, 'ids')).toThrowError('ids[0] = 1.5');
    expect(() => checkTokenIds([0, 9], 10, 'ids')).not.toThrow();
    expect(() => checkTokenIds([IGNORE_INDEX], 10, 'labels', IGNORE_INDEX)).not.toThrow();
  });
});

describe('validateCausalLMBatch', () => {
  const ok = { batchSize: 2, seqLength: 2, inputIds: Int32Array.of(1, 2, 3, 4), labels: Int32Array.of(2, 3, 4, IGNORE_INDEX) };
  it('accepts a consistent batch', () => expect(() => validateCausalLMBatch(ok, 5)).not.toThrow());
  it('rejects arrays that do not match the shape', () => {
    expect(() => validateCausalLMBatch({ ...ok, labels: Int32Array.of(1) }, 5)).toThrowError(ShapeError);
    expect(() => validateCausalLMBatch({ ...ok, attentionMask: Uint8Array.of(1) }, 5)).toThrowError(/attentionMask has 1/);
    expect(() => validateCausalLMBatch({ ...ok, batchSize: 0 }, 5)).toThrowError(/batchSize \(0\)/);
  });
  it('rejects ids outside the vocabulary', () => {
    expect(() => validateCausalLMBatch(ok, 4)).toThrowError('inputIds[3] = 4 is outside the vocabulary [0, 4)');
  });
});

describe('sampleWindows', () => {
  const tokens = Int32Array.from({ length: 100 }, (_, i) => i);
  it('draws windows whose labels are the inputs shifted by one', () => {
    const b = sampleWindows(tokens, { batchSize: 3, seqLength: 8, rng: new Rng(1) });
    expect(b.inputIds).toHaveLength(24);
    for (let row = 0; row < 3; row++) {
      const start = b.inputIds[row * 8]!;
      for (let t = 0; t < 8; t++) {
        expect(b.inputIds[row * 8 + t]).toBe(start + t);
        expect(b.labels[row * 8 + t]).toBe(start + t + 1);
      }
      expect(start + 8).toBeLessThan(100);
    }
  });
  it('is reproducible from the seed', () => {
    const a = sampleWindows(tokens, { batchSize: 4, seqLength: 5, rng: new Rng(7) });
    const b = sampleWindows(tokens, { batchSize: 4, seqLength: 5, rng: new Rng(7) });
    expect(a.inputIds).toEqual(b.inputIds);
  });
  it('reaches the last possible window', () => {
    const small = Int32Array.of(0, 1, 2);
    const rng = new Rng(3);
    const starts = new Set(Array.from({ length: 50 }, () => sampleWindows(small, { batchSize: 1, seqLength: 2, rng }).inputIds[0]));
    expect([...starts].sort()).toEqual([0]);
    const starts3 = new Set(Array.from({ length: 50 }, () => sampleWindows(Int32Array.of(0, 1, 2, 3), { batchSize: 1, seqLength: 2, rng }).inputIds[0]));
    expect([...starts3].sort()).toEqual([0, 1]);
  });
  it('rejects a stream too short for one window', () => {
    expect(() => sampleWindows(Int32Array.of(1, 2), { batchSize: 1, seqLength: 2, rng: new Rng(0) })).toThrowError(RangeArgumentError);
  });
});
