import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { gptConfigFromHuggingFace, gptStateDictFromHuggingFace } from '../../../src/models/gpt/gpt-hf-weights.js';
import { ConfigError, StateDictError } from '../../../src/utils/errors.js';
import { readSafetensorsByHand } from '../../helpers/safetensors-by-hand.js';

// Tiny GPT2LMHeadModel written by Hugging Face transformers 4.43.4, with logits it computed.
const dir = fileURLToPath(new URL('../../../../shared/fixtures/hf-tiny/gpt2', import.meta.url));
const read = (name: string) => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'));
interface Case { name: string; inputs: { input_ids: number[][]; attention_mask?: number[][]; position_ids?: number[][] } }

describe('GPT-2 against Hugging Face transformers', () => {
  it('takes named inputs as the other task models do, equal to the tensor form', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    const c = (read('inputs.json').cases as Case[]).find((x) => x.name === 'batch_right_pad')!;
    const before = tf.memory().numTensors;
    const named = model.logits({ inputIds: c.inputs.input_ids, attentionMask: c.inputs.attention_mask });
    const ids = tf.tensor2d(c.inputs.input_ids, undefined, 'int32');
    const mask = tf.tensor2d(c.inputs.attention_mask!, undefined, 'int32');
    const positional = model.logits(ids, { training: false, attentionMask: mask });
    expect(Array.from(await named.data())).toEqual(Array.from(await positional.data()));
    tf.dispose([named, positional, ids, mask]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => model.logits({ inputIds: [[1, 99999]] })).toThrowError(/inputIds\[0\]\[1\] = 99999 is outside the vocabulary/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('saves a loaded checkpoint back as the very tensors, names and shapes Hugging Face wrote', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    const out = mkdtempSync(join(tmpdir(), 'wordforge-gpt2-save-'));
    try {
      await model.save(out);
      const theirs = readSafetensorsByHand(`${dir}/model.safetensors`);
      const ours = readSafetensorsByHand(join(out, 'model.safetensors'));
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [name, tensor] of ours) {
        expect(tensor.dtype, name).toBe('F32');
        expect(tensor.shape, name).toEqual(theirs.get(name)!.shape);
        expect(tensor.bytes.equals(theirs.get(name)!.bytes), name).toBe(true);
      }
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      const hf = read('config.json');
      for (const key of ['model_type', 'architectures', 'vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head', 'layer_norm_epsilon', 'activation_function']) {
        expect(config[key], key).toEqual(hf[key]);
      }
    } finally {
      model.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('reproduces HF logits at every valid position (right padding included)', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    expect(model.config).toMatchObject({ vocabSize: 320, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 64 });
    const cases = (read('inputs.json').cases as Case[]).filter((c) => !c.inputs.position_ids);
    expect(cases.map((c) => c.name)).toEqual(['single', 'batch_right_pad']);
    for (const c of cases) {
      const expected = read(`logits_${c.name}.json`) as { shape: number[]; data: number[] };
      const ids = tf.tensor2d(c.inputs.input_ids, undefined, 'int32');
      const mask = c.inputs.attention_mask ? tf.tensor2d(c.inputs.attention_mask, undefined, 'int32') : undefined;
      const logits = model.logits(ids, { training: false, ...(mask ? { attentionMask: mask } : {}) });
      expect(logits.shape).toEqual(expected.shape);
      const got = await logits.data();
      const [b, t, v] = expected.shape as [number, number, number];
      let maxErr = 0;
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < t; j++) {
          if (c.inputs.attention_mask && c.inputs.attention_mask[i]![j] === 0) continue;
          for (let k = 0; k < v; k++) {
            const n = (i * t + j) * v + k;
            maxErr = Math.max(maxErr, Math.abs(got[n]! - Math.fround(expected.data[n]!)));
          }
        }
      }
      expect(maxErr, c.name).toBeLessThan(1e-4);
      tf.dispose([ids, logits, ...(mask ? [mask] : [])]);
    }
    model.dispose();
  });

  it('greedy decoding with the KV cache reproduces HF greedy tokens', async () => {
    const model = await GPTCausalLM.fromHuggingFace(dir);
    const greedy = read('greedy.json') as { prompt: number[]; generated_tokens: number[]; max_new_tokens: number };
    const before = tf.memory().numTensors;
    const [tokens] = await model.generate([greedy.prompt], { maxNewTokens: greedy.max_new_tokens });
    expect(tf.memory().numTensors).toBe(before);
    expect(tokens).toEqual(greedy.generated_tokens);
    model.dispose();
  });

  it('rejects configs and weights it cannot represent, listing the keys', () => {
    expect(() => gptConfigFromHuggingFace({ model_type: 'bert' })).toThrowError(ConfigError);
    expect(() => gptConfigFromHuggingFace({ model_type: 'gpt2', activation_function: 'relu' })).toThrowError(/"relu"/);
    const t = tf.zeros([1]);
    expect(() => gptStateDictFromHuggingFace({ 'transformer.wte.weight': t, 'transformer.extra': t }, 1))
      .toThrowError(StateDictError);
    expect(() => gptStateDictFromHuggingFace({ 'transformer.wte.weight': t, 'transformer.extra': t }, 1))
      .toThrowError(/missing keys: transformer\.wpe\.weight.*unexpected keys: transformer\.extra/);
    t.dispose();
  });

  it('accepts the old Hub naming without the transformer. prefix and with mask buffers', () => {
    const t = tf.zeros([1]);
    const old: Record<string, tf.Tensor> = { 'wte.weight': t, 'wpe.weight': t, 'ln_f.weight': t, 'ln_f.bias': t, 'h.0.attn.bias': t, 'lm_head.weight': t };
    for (const n of ['ln_1', 'attn.c_attn', 'attn.c_proj', 'ln_2', 'mlp.c_fc', 'mlp.c_proj']) {
      old[`h.0.${n}.weight`] = t;
      old[`h.0.${n}.bias`] = t;
    }
    const state = gptStateDictFromHuggingFace(old, 1);
    expect(Object.keys(state)).toHaveLength(16);
    expect(state['backbone.blocks.0.attn.qkv.weight']).toBe(t);
    t.dispose();
  });
});
