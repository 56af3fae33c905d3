import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { generate } from '../../src/generation/generate.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { disposeGPTCache, reorderGPTCache } from '../../src/models/gpt/gpt-generation-cache.js';
import { expectCachedStepsMatchFull, fullRecomputeNext } from './full-recompute-next.js';

afterAll(async () => { await tf.setBackend('cpu'); });

// Wide enough that the decoding products take the wasm kernels' cached-packing and JavaScript paths.
const config = { vocabSize: 300, hiddenSize: 64, numLayers: 2, numHeads: 2, contextLength: 32, seed: 5 };
const prompts = [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11]];

/** Greedy tokens on `backend` with the KV cache and, when asked, by full recompute; checks for leaks. */
async function greedyTokens(backend: 'cpu' | 'wasm', prompt: number[], maxNewTokens: number, alsoUncached: boolean) {
  await initBackend({ backend });
  const model = new GPTCausalLM(config);
  const before = tf.memory().numTensors;
  const [cached = []] = await model.generate([prompt], { maxNewTokens });
  const [uncached = []] = alsoUncached
    ? await generate(fullRecomputeNext(model), [prompt], { maxNewTokens, disposeCache: (c) => c.dispose() })
    : [];
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
  return { cached, uncached };
}

describe('cached GPT generation on wasm', () => {
  it('gives the greedy tokens of full recompute and of the cpu backend', async () => {
    for (const prompt of prompts) {
      const maxNewTokens = config.contextLength - prompt.length; // fills the window, no crop
      const wasm = await greedyTokens('wasm', prompt, maxNewTokens, true);
      const cpu = await greedyTokens('cpu', prompt, maxNewTokens, false);
      expect(wasm.cached).toHaveLength(maxNewTokens);
      expect(wasm.cached).toEqual(wasm.uncached);
      expect(wasm.cached).toEqual(cpu.cached);
    }
  });

  it('matches full-recompute logits step by step within 1e-4', async () => {
    await initBackend({ backend: 'wasm' });
    const model = new GPTCausalLM(config);
    const seq = Array.from({ length: 30 }, (_, i) => (i * 37 + 11) % config.vocabSize);
    await expectCachedStepsMatchFull(model, seq, 1, 1e-4);
    model.dispose();
  });

  it('leaks nothing through beams, batches and the context crop, the head weight included', async () => {
    await initBackend({ backend: 'wasm' });
    const model = new GPTCausalLM(config);
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    await model.generate(prompts, { maxNewTokens: 36 }); // past contextLength: crops and re-encodes
    await model.generate(prompts, { maxNewTokens: 6, numBeams: 3 });
    const prompt = tf.tensor2d([prompts[0]!], undefined, 'int32');
    const { cache, logits } = model.next(prompt, null);
    const reordered = reorderGPTCache(cache, [0, 0]);
    expect(reordered.headWeight?.shape).toEqual([config.hiddenSize, config.vocabSize]);
    expect(reordered.headWeight).not.toBe(cache.headWeight);
    disposeGPTCache(cache);
    disposeGPTCache(reordered);
    tf.dispose([logits, prompt]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
    model.dispose();
  });
});
