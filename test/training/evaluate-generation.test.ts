import { describe, expect, it } from 'vitest';
import { evaluateGeneration, type GenerationExample } from '../../src/training/evaluate-generation.js';
import { ConfigError, ShapeError } from '../../src/utils/errors.js';

const examples: GenerationExample[] = [
  { input: 'translate: le chat', references: ['the cat sat on the mat', 'a cat sat on the mat'] },
  { input: 'translate: le chien', references: ['the dog ran in the park'] },
];
const all = ['bleu', 'chrf', 'rouge1', 'rouge2', 'rougeL', 'exact_match', 'token_f1'] as const;

describe('evaluateGeneration', () => {
  it('gives perfect scores to outputs equal to a reference', async () => {
    const scores = await evaluateGeneration(() => ['a cat sat on the mat', 'the dog ran in the park'], examples, all);
    const expected = { bleu: 100, chrf: 100, rouge1: 1, rouge2: 1, rougeL: 1, exact_match: 1, token_f1: 1 };
    for (const [name, value] of Object.entries(expected)) expect(scores[name], name).toBeCloseTo(value, 10);
    expect(Object.keys(scores).sort()).toEqual(Object.keys(expected).sort());
  });

  it('scores partial outputs between 0 and perfect, averaging per-example metrics', async () => {
    const scores = await evaluateGeneration(async () => ['the cat sat', 'the dog ran in the park'], examples, all);
    expect(scores.exact_match).toBe(0.5);
    expect(scores.rouge1).toBeCloseTo((2 * (3 / 3) * (3 / 6) / (3 / 3 + 3 / 6) + 1) / 2, 10);
    expect(scores.bleu).toBeGreaterThan(0);
    expect(scores.bleu).toBeLessThan(100);
  });

  it('rejects mismatched outputs and unknown metrics', async () => {
    await expect(evaluateGeneration(() => ['one'], examples, ['bleu'])).rejects.toThrowError(ShapeError);
    await expect(evaluateGeneration(() => ['a', 'b'], examples, ['meteor' as never])).rejects.toThrowError(/unknown generation metric "meteor"/);
    await expect(evaluateGeneration(() => [], [], ['bleu'])).rejects.toThrowError(ConfigError);
  });
});
