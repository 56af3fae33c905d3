import { describe, expect, it } from 'vitest';
import { collateCausalLM } from '../../../src/data/collate/collate-causal-lm.js';
import { IGNORE_INDEX, validateCausalLMBatch } from '../../../src/data/causal-lm-batch.js';
import { ContextLengthError, RangeArgumentError } from '../../../src/utils/errors.js';

const X = IGNORE_INDEX;

describe('collateCausalLM', () => {
  it('shifts each example into inputs and labels and pads on the right', () => {
    const batch = collateCausalLM([[5, 6, 7, 8], [9, 10]], { padId: 0 });
    expect(batch.seqLength).toBe(3);
    expect([...batch.inputIds]).toEqual([5, 6, 7, 9, 0, 0]);
    expect([...batch.labels]).toEqual([6, 7, 8, 10, X, X]);
    expect([...batch.attentionMask!]).toEqual([1, 1, 1, 1, 0, 0]);
    validateCausalLMBatch(batch, 11);
  });

  it('pads on the left for generation-style batches', () => {
    const batch = collateCausalLM([[5, 6, 7], [9, 10]], { padId: 0, side: 'left' });
    expect([...batch.inputIds]).toEqual([5, 6, 0, 9]);
    expect([...batch.labels]).toEqual([6, 7, X, 10]);
    expect([...batch.attentionMask!]).toEqual([1, 1, 0, 1]);
  });

  it('puts no loss on the prompt of prompt/response examples or given prompt lengths', () => {
    const pair = collateCausalLM([{ prompt: [1, 2, 3], response: [4, 5] }], { padId: 0 });
    // inputs 1 2 3 4 predict 2 3 4 5: only 4 and 5 are response tokens
    expect([...pair.inputIds]).toEqual([1, 2, 3, 4]);
    expect([...pair.labels]).toEqual([X, X, 4, 5]);
    const lengths = collateCausalLM([[1, 2, 3, 4, 5], [6, 7, 8]], { padId: 0, promptLengths: [3, 1] });
    expect([...lengths.labels]).toEqual([X, X, 4, 5, 7, 8, X, X]);
  });

  it('pads to a fixed length and to a multiple', () => {
    expect(collateCausalLM([[1, 2, 3]], { padId: 0, padTo: 5 }).seqLength).toBe(5);
    expect(collateCausalLM([[1, 2, 3, 4, 5, 6]], { padId: 0, padToMultipleOf: 4 }).seqLength).toBe(8);
    expect(() => collateCausalLM([[1, 2, 3, 4]], { padId: 0, padTo: 2 })).toThrowError(ContextLengthError);
    expect(() => collateCausalLM([[1, 2, 3, 4]], { padId: 0, padTo: 2 })).toThrowError('example 0 has 3 tokens, more than padTo (2)');
  });

  it('rejects examples too short to predict anything and inconsistent prompt lengths', () => {
    expect(() => collateCausalLM([[1, 2], [3]], { padId: 0 })).toThrowError('example 1 has 1 tokens');
    expect(() => collateCausalLM([[1, 2]], { padId: 0, promptLengths: [3] })).toThrowError(RangeArgumentError);
    expect(() => collateCausalLM([[1, 2]], { padId: 0, promptLengths: [] })).toThrowError('promptLengths has 0 entries for 1 examples');
    expect(() => collateCausalLM([], { padId: 0 })).toThrowError(RangeArgumentError);
  });

  it('accepts typed arrays (packed blocks of seqLength + 1 tokens)', () => {
    const blocks = [Int32Array.of(1, 2, 3, 4, 5), Int32Array.of(6, 7, 8, 9, 10)];
    const batch = collateCausalLM(blocks, { padId: 0 });
    expect(batch.seqLength).toBe(4);
    expect([...batch.labels]).toEqual([2, 3, 4, 5, 7, 8, 9, 10]);
    expect(batch.attentionMask!.every((m) => m === 1)).toBe(true);
  });
});
