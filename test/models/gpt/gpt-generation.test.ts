import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { beamSearch, streamText } from '../../../src/generation/index.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { disposeGPTCache, gptPositionIds, reorderGPTCache } from '../../../src/models/gpt/gpt-generation-cache.js';
import { fullRecomputeNext } from '../../generation/full-recompute-next.js';

const dir = fileURLToPath(new URL('../../../../shared/fixtures/hf-tiny/gpt2', import.meta.url));
const read = (name: string) => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'));
const config = { vocabSize: 23, hiddenSize: 16, numLayers: 2, numHeads: 2, contextLength: 12, seed: 3 };

describe('GPT generation', () => {
  it('reproduces HF logits of a left-padded batch with position ids', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    const c = (read('inputs.json').cases as Array<{ name: string; inputs: Record<string, number[][]> }>)
      .find((x) => x.name === 'batch_left_pad_posids')!;
    const expected = read('logits_batch_left_pad_posids.json') as { shape: [number, number, number]; data: number[] };
    const mask = tf.tensor2d(c.inputs.attention_mask!, undefined, 'int32');
    const positions = gptPositionIds(mask);
    expect(await positions.array()).toEqual(c.inputs.position_ids);
    const ids = tf.tensor2d(c.inputs.input_ids!, undefined, 'int32');
    const logits = model.logits(ids, { training: false, attentionMask: mask, positionIds: positions });
    const got = await logits.data();
    const [b, t, v] = expected.shape;
    let maxErr = 0;
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < t; j++) {
        if (c.inputs.attention_mask![i]![j] === 0) continue;
        for (let k = 0; k < v; k++) {
          const n = (i * t + j) * v + k;
          maxErr = Math.max(maxErr, Math.abs(got[n]! - Math.fround(expected.data[n]!)));
        }
      }
    }
    expect(maxErr).toBeLessThan(1e-4);
    tf.dispose([mask, positions, ids, logits]);
    model.dispose();
  });

  it('decodes prompts of different lengths in one batch exactly as each alone (greedy, HF model)', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    const prompts = [[315, 245, 51, 151, 250, 293], [12, 7], [200, 201, 202, 9]];
    const batch = await model.generate(prompts, { maxNewTokens: 8 });
    for (const [b, p] of prompts.entries()) expect(batch[b], `row ${b}`).toEqual((await model.generate([p], { maxNewTokens: 8 }))[0]);
    const greedy = read('greedy.json') as { prompt: number[]; generated_tokens: number[] };
    expect(batch[0]).toEqual(greedy.generated_tokens.slice(0, 8));
    model.dispose();
  });

  it('keeps batch == alone past the context window, and with beams', async () => {
    const model = new GPTCausalLM(config);
    const prompts = [[1, 2, 3, 4, 5], [6], [7, 8]];
    const batch = await model.generate(prompts, { maxNewTokens: 15 });
    for (const [b, p] of prompts.entries()) expect(batch[b]).toEqual((await model.generate([p], { maxNewTokens: 15 }))[0]);
    const beams = await model.generate(prompts, { maxNewTokens: 5, numBeams: 3, numReturnSequences: 2 });
    for (const [b, p] of prompts.entries()) {
      expect(beams.slice(2 * b, 2 * b + 2)).toEqual(await model.generate([p], { maxNewTokens: 5, numBeams: 3, numReturnSequences: 2 }));
    }
    model.dispose();
  });

  it('beam search through the KV cache and reorderGPTCache equals beam search by full recompute', async () => {
    const model = new GPTCausalLM(config);
    const before = tf.memory().numTensors;
    const opts = { maxNewTokens: 6, numBeams: 4, numReturnSequences: 3, eosTokenId: 5, lengthPenalty: 0.8 };
    const cached = await beamSearch(model.next, [[1, 2, 3], [4, 5, 6]], { ...opts, disposeCache: disposeGPTCache, reorderCache: reorderGPTCache });
    const full = await beamSearch(fullRecomputeNext(model), [[1, 2, 3], [4, 5, 6]], {
      ...opts, disposeCache: (c) => c.dispose(), reorderCache: (c, i) => tf.tidy(() => tf.gather(c, tf.tensor1d(i, 'int32'))),
    });
    expect(cached.sequences).toEqual(full.sequences);
    cached.scores.forEach((s, i) => expect(s).toBeCloseTo(full.scores[i]!, 4));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('cached logits equal full-recompute logits within 1e-5, padded rows included', async () => {
    const model = new GPTCausalLM(config);
    const seq = [3, 1, 4, 1, 5, 9, 2, 6];
    const full = await model.logits(tf.tensor2d([seq], undefined, 'int32'), { training: false }).array() as number[][][];
    // both rows hold the sequence behind 3 pads, of different ids (the mask hides them)
    const prompt = tf.tensor2d([[0, 0, 0, ...seq.slice(0, 2)], [7, 7, 7, ...seq.slice(0, 2)]], undefined, 'int32');
    const mask = tf.tensor2d([[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]], undefined, 'int32');
    const plain = model.next(tf.tensor2d([seq.slice(0, 2)], undefined, 'int32'), null);
    let padded = model.next(prompt, null, { attentionMask: mask });
    let alone = plain;
    for (let t = 2; ; t++) {
      for (const [l, rows] of [[await alone.logits.data(), 1], [await padded.logits.data(), 2]] as const) {
        for (let r = 0; r < rows; r++) {
          full[0]![t - 1]!.forEach((v, k) => expect(Math.abs(l[r * 23 + k]! - v)).toBeLessThan(1e-5));
        }
      }
      tf.dispose([alone.logits, padded.logits]);
      if (t === seq.length) break;
      const [a, p] = [alone.cache, padded.cache];
      alone = model.next(tf.tensor2d([[seq[t]!]], undefined, 'int32'), a);
      padded = model.next(tf.tensor2d([[seq[t]!], [seq[t]!]], undefined, 'int32'), p);
      disposeGPTCache(a);
      disposeGPTCache(p);
    }
    disposeGPTCache(alone.cache);
    disposeGPTCache(padded.cache);
    tf.dispose([prompt, mask]);
    model.dispose();
  });

  it('generates 1000 tokens (sampling, penalties, padding, context crop) leaving numTensors unchanged', async () => {
    const model = new GPTCausalLM(config);
    const before = tf.memory().numTensors;
    const out = await model.generate([[1, 2, 3], [4]], {
      maxNewTokens: 500, doSample: true, topK: 10, topP: 0.95, minP: 0.01, temperature: 0.9,
      repetitionPenalty: 1.1, presencePenalty: 0.1, noRepeatNgramSize: 6, seed: 4,
    });
    expect(out.flat()).toHaveLength(1000);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('streams the tokens generate returns, as text too, and keeps the old strategy option', async () => {
    const model = new GPTCausalLM(config);
    const opts = { maxNewTokens: 6, strategy: 'sample', temperature: 0.8, topK: 5, seed: 7 } as const;
    const steps: number[][] = [];
    for await (const tokens of model.stream([[1, 2], [3]], opts)) steps.push(tokens);
    const out = await model.generate([[1, 2], [3]], opts);
    expect(steps.map((s) => s[0])).toEqual(out[0]);
    expect(steps.map((s) => s[1])).toEqual(out[1]);
    expect(await model.generate([[1, 2], [3]], { ...opts, strategy: undefined, doSample: true })).toEqual(out);
    const letters = (ids: number[]): string => ids.map((i) => String.fromCharCode(97 + i)).join('');
    let text = '';
    for await (const [delta] of streamText(model.stream([1, 2], opts), letters)) text += delta;
    const [alone] = await model.generate([1, 2], opts);
    expect(text).toBe(letters(alone!));
    model.dispose();
  });
});
