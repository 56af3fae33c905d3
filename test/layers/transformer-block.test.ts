import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TransformerBlock } from '../../src/layers/transformer-block.js';
import { disposeKVCache, type KVCache } from '../../src/layers/kv-cache.js';
import { ConfigError } from '../../src/utils/errors.js';
import { leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { decode, decodeAll, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

interface BlockFixture {
  dim: number; numHeads: number; hiddenDim: number;
  x: EncodedTensor; y: EncodedTensor; params: Record<string, EncodedTensor>;
  attentionMask?: EncodedTensor; context?: EncodedTensor; contextMask?: EncodedTensor; positionBias?: EncodedTensor;
}
const fx = readFixture<Record<'gpt2_block' | 'bert_block' | 't5_decoder_block', BlockFixture>>('layers.json');

function loaded(f: BlockFixture, block: TransformerBlock): TransformerBlock {
  const state = decodeAll(f.params);
  block.loadStateDict(state);
  tf.dispose(Object.values(state));
  return block;
}

describe('TransformerBlock', () => {
  it('GPT-2 pre-LN block matches PyTorch', () => {
    const f = fx.gpt2_block;
    const block = loaded(f, new TransformerBlock(f.dim, f.numHeads, f.hiddenDim, {
      causal: true, activation: 'gelu_tanh', seed: 1,
    }));
    expect(block.namedParameters().map(([n]) => n)).toEqual([
      'ln1.weight', 'ln1.bias', 'attn.qkv.weight', 'attn.qkv.bias', 'attn.out.weight', 'attn.out.bias',
      'ln2.weight', 'ln2.bias', 'mlp.fc.weight', 'mlp.fc.bias', 'mlp.out.weight', 'mlp.out.bias',
    ]);
    const x = decode(f.x);
    expectClose(block.forward(x, { training: false }).output, f.y);
    block.dispose();
    x.dispose();
  });

  it('BERT post-LN block with padding matches PyTorch', () => {
    const f = fx.bert_block;
    const block = loaded(f, new TransformerBlock(f.dim, f.numHeads, f.hiddenDim, {
      normPosition: 'post', fusedQkv: false, eps: 1e-12, activation: 'gelu', seed: 2,
    }));
    const [x, am] = [decode(f.x), decode(f.attentionMask!, 'int32')];
    expectClose(block.forward(x, { training: false, attentionMask: am }).output, f.y);
    block.dispose();
    tf.dispose([x, am]);
  });

  it('T5-style decoder block (RMS, no bias, unscaled, gated, cross-attention, bias) matches PyTorch', () => {
    const f = fx.t5_decoder_block;
    const block = loaded(f, new TransformerBlock(f.dim, f.numHeads, f.hiddenDim, {
      norm: 'rms', bias: false, scale: false, gated: true, activation: 'gelu_tanh', fusedQkv: false,
      causal: true, crossAttention: true, seed: 3,
    }));
    const [x, context, contextMask, positionBias] = [decode(f.x), decode(f.context!), decode(f.contextMask!), decode(f.positionBias!)];
    const out = block.forward(x, { training: false, context, contextMask, positionBias });
    expectClose(out.output, f.y);
    expect(out.cache).toBeUndefined();
    block.dispose();
    tf.dispose([x, context, contextMask, positionBias, out.output]);
  });

  it('decodes token by token with caches exactly like a full forward', () => {
    const block = new TransformerBlock(8, 2, 16, { causal: true, crossAttention: true, seed: 4 });
    const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 5);
    const context = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 6);
    const full = block.forward(x, { training: false, context });
    const before = tf.memory().numTensors;
    let cache: KVCache | undefined;
    let crossCache: KVCache | undefined;
    const steps: tf.Tensor[] = [];
    for (let t = 0; t < 4; t++) {
      const xt = tf.slice(x, [0, t, 0], [2, 1, 8]);
      const r = block.forward(xt, { training: false, context, cache, crossCache, useCache: true });
      if (cache) disposeKVCache(cache, r.cache);
      if (crossCache) disposeKVCache(crossCache, r.crossCache);
      cache = r.cache;
      crossCache = r.crossCache;
      steps.push(r.output);
      xt.dispose();
    }
    expect(cache!.key.shape).toEqual([2, 2, 4, 4]);
    expect(crossCache!.key.shape).toEqual([2, 2, 3, 4]);
    const joined = tf.concat(steps, 1);
    expectClose(joined, full.output, 1e-5);
    tf.dispose([...steps, joined]);
    disposeKVCache(cache!);
    disposeKVCache(crossCache!);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, context, full.output]);
    block.dispose();
  });

  it('uses seeded residual dropout only while training', () => {
    const make = () => new TransformerBlock(8, 2, 16, { dropout: 0.5, seed: 7 });
    const [a, b] = [make(), make()];
    const x = tf.randomNormal([1, 3, 8], 0, 1, 'float32', 8);
    expectClose(a.forward(x, { training: true }).output, b.forward(x, { training: true }).output, 0);
    const evalOut = a.forward(x, { training: false }).output;
    const trainOut = a.forward(x, { training: true }).output;
    expect(tf.max(tf.abs(tf.sub(evalOut, trainOut))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([a, b].flatMap((m) => m.parameters()));
    x.dispose();
  });

  it('leaks nothing in forward, in training gradients, and frees everything on dispose', () => {
    const before = tf.memory().numTensors;
    const block = new TransformerBlock(8, 2, 16, { causal: true, dropout: 0.1, crossAttention: true, seed: 9 });
    const x = tf.randomNormal([2, 3, 8]);
    const context = tf.randomNormal([2, 2, 8]);
    expect(leakedTensors(() => {
      block.forward(x, { training: false, context }).output.dispose();
      withGradients(() => tf.mean(tf.square(block.forward(x, { training: true, context }).output)), block.trainableVariables(), (grads) => {
        expect(Object.keys(grads)).toHaveLength(block.trainableVariables().length);
      });
    })).toBe(0);
    block.dispose();
    tf.dispose([x, context]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options before creating any variable', () => {
    const before = tf.memory().numTensors;
    expect(() => new TransformerBlock(10, 3, 16, { seed: 1 })).toThrow('numHeads (3) must divide dim (10)');
    expect(() => new TransformerBlock(8, 2, 16, { norm: 'batch' as 'rms', seed: 1 })).toThrow(ConfigError);
    expect(() => new TransformerBlock(8, 2, 16, { normPosition: 'middle' as 'pre', seed: 1 })).toThrow(/"middle"/);
    expect(() => new TransformerBlock(8, 2, 16, { activation: 'tanh' as 'relu', seed: 1 })).toThrow(ConfigError);
    expect(() => new TransformerBlock(8, 2, 16, { dropout: 1.5, seed: 1 })).toThrow('dropout rate (1.5) must be in [0, 1)');
    expect(tf.memory().numTensors).toBe(before);
  });
});
