import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { evaluatePerplexity } from '../../src/training/evaluate-perplexity.js';

const tokens = Int32Array.from({ length: 23 }, (_, i) => (i * 5 + 3) % 17);

/** NLL of token t given all tokens before it inside [from, t), computed position by position. */
async function manualNll(model: GPTCausalLM, from: number, t: number): Promise<number> {
  const ids = tf.tensor2d([Array.from(tokens.subarray(from, t))], undefined, 'int32');
  const logits = model.logits(ids, { training: false });
  const logp = await tf.tidy(() => tf.logSoftmax(tf.slice(logits, [0, t - from - 1, 0], [1, 1, -1]))).data();
  tf.dispose([ids, logits]);
  return -logp[tokens[t]!]!;
}

describe('evaluatePerplexity', () => {
  it('scores every token but the first exactly once, with the strided windows as context', async () => {
    const model = new GPTCausalLM({ vocabSize: 17, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8, seed: 4 });
    const before = tf.memory().numTensors;
    const result = await evaluatePerplexity(model, tokens, { contextLength: 8, stride: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.tokenCount).toBe(22);
    // windows [0,8) [4,12) [8,16) [12,20) [16,23): token t is scored in the window that first covers it
    const windows = [[0, 8, 0], [4, 12, 8], [8, 16, 12], [12, 20, 16], [16, 23, 20]] as const;
    let sum = 0;
    for (const [begin, end, targetBegin] of windows) {
      for (let t = Math.max(begin + 1, targetBegin); t < end; t++) sum += await manualNll(model, begin, t);
    }
    expect(result.meanNll).toBeCloseTo(sum / 22, 5);
    expect(result.perplexity).toBeCloseTo(Math.exp(sum / 22), 4);
    // no overlap (stride = context) gives less context, so a different value
    const plain = await evaluatePerplexity(model, tokens, { contextLength: 8 });
    expect(plain.tokenCount).toBe(20); // the first token of each of the 3 windows is unscored
    model.dispose();
  });
});
