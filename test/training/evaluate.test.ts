import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { CharTokenizer } from '../../src/tokenizers/char-tokenizer.js';
import { evaluate, type TextGenerationModel } from '../../src/training/evaluate.js';
import { evaluateGeneration, type GenerationExample } from '../../src/training/evaluate-generation.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz 床前明月光疑是地上霜');
const examples: GenerationExample[] = [
  { input: 'the cat', references: ['the cat'] },
  { input: '床前明月光', references: ['床前明月光', '疑是地上霜'] },
  { input: 'a dog', references: ['a big dog'] },
];

/** Generates its prompt back: a model whose outputs are known, so scores are known. */
const echo: TextGenerationModel = { generate: async (ids) => ids.map((row) => [...row]) };

describe('evaluate', () => {
  it('encodes inputs, generates, decodes and scores: an echo model matches the references it copies', async () => {
    const scores = await evaluate(echo, examples, ['exact_match', 'rougeL'], { tokenizer, generation: { maxNewTokens: 4 }, batchSize: 2 });
    expect(scores.exact_match).toBeCloseTo(2 / 3, 12);
    // rouge-score's default tokenizer keeps [a-z0-9] only, so the Chinese pair scores 0.
    expect(scores.rougeL).toBeCloseTo((1 + 0 + (2 * 1 * (2 / 3)) / (1 + 2 / 3)) / 3, 12);
  });

  it('scores a real GPT exactly as scoring its decoded generations by hand, whatever the batch size', async () => {
    const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 16, seed: 3 });
    const generation = { maxNewTokens: 5 };
    const before = tf.memory().numTensors;
    const byHand = await Promise.all(examples.map(async (e) => {
      const [ids] = await model.generate([tokenizer.encode(e.input)], generation);
      return tokenizer.decode(ids as number[]).trim();
    }));
    const metrics = ['bleu', 'chrf', 'token_f1'] as const;
    const expected = await evaluateGeneration(() => byHand, examples, metrics);
    for (const batchSize of [1, 3]) {
      expect(await evaluate(model, examples, metrics, { tokenizer, generation, batchSize })).toEqual(expected);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('passes metric options through: Chinese scores with zh BLEU and unicode ROUGE, special tokens skipped', async () => {
    const zh: GenerationExample[] = [{ input: '床前明月光', references: ['床前明月光'] }, { input: '疑是地上霜', references: ['疑是天上霜'] }];
    const withEos = CharTokenizer.fromText('床前明月光疑是地上霜天', { specialTokens: ['</s>'] });
    const eos = withEos.encode('</s>')[0]!;
    const echoEos: TextGenerationModel = { generate: async (ids) => ids.map((row) => [...row, eos]) };
    const defaults = await evaluate(echoEos, zh, ['rougeL', 'exact_match'], { tokenizer: withEos, generation: { maxNewTokens: 1 } });
    expect(defaults.rougeL).toBe(0); // rouge-score keeps [a-z0-9] only
    expect(defaults.exact_match).toBe(0.5); // '</s>' was skipped: the first output equals its reference
    const cjk = await evaluate(echoEos, zh, ['rougeL', 'bleu'], {
      tokenizer: withEos, generation: { maxNewTokens: 1 }, metricOptions: { rouge: { tokenizer: 'unicode' }, bleu: { tokenize: 'zh' } },
    });
    expect(cjk.rougeL).toBeCloseTo((1 + 4 / 5) / 2, 12);
    expect(cjk.bleu).toBeGreaterThan(0);
    expect(cjk.bleu).toBeLessThan(100);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(evaluate(echo, examples, ['bleu'], { tokenizer, generation: { maxNewTokens: 1 }, batchSize: 0 }))
      .rejects.toThrowError(RangeArgumentError);
  });
});
