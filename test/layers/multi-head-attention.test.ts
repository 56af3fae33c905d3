import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MultiHeadAttention } from '../../src/layers/multi-head-attention.js';
import { RotaryEmbedding } from '../../src/layers/rotary-embedding.js';
import { disposeKVCache, type KVCache } from '../../src/layers/kv-cache.js';
import { scaledDotProductAttention } from '../../src/ops/attention.js';
import { ConfigError, ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { expectClose } from '../helpers/fixtures.js';

/** Runs `x` through `attn` one token at a time with a cache and returns the joined outputs. */
function incremental(attn: MultiHeadAttention, x: tf.Tensor, attentionMask?: tf.Tensor): tf.Tensor {
  const [b, t, d] = x.shape as [number, number, number];
  let cache: KVCache | undefined;
  const steps: tf.Tensor[] = [];
  for (let i = 0; i < t; i++) {
    const xi = tf.slice(x, [0, i, 0], [b, 1, d]);
    const mi = attentionMask && tf.slice(attentionMask, [0, 0], [b, i + 1]);
    const r = attn.forward(xi, { training: false, causal: true, attentionMask: mi, cache, useCache: true });
    if (cache) disposeKVCache(cache);
    cache = r.cache;
    steps.push(r.output);
    tf.dispose([xi, ...(mi ? [mi] : [])]);
  }
  disposeKVCache(cache!);
  const joined = tf.concat(steps, 1);
  tf.dispose(steps);
  return joined;
}

describe('MultiHeadAttention', () => {
  it('names parameters after GPT-2 (fused) or BERT (separate) layouts', () => {
    const fused = new MultiHeadAttention(8, 2, { seed: 1 });
    const split = new MultiHeadAttention(8, 2, { fusedQkv: false, bias: false, seed: 1 });
    expect(fused.namedParameters().map(([n, v]) => `${n}:${v.shape}`)).toEqual(
      ['qkv.weight:8,24', 'qkv.bias:24', 'out.weight:8,8', 'out.bias:8']);
    expect(split.namedParameters().map(([n]) => n)).toEqual(['query.weight', 'key.weight', 'value.weight', 'out.weight']);
    fused.dispose();
    split.dispose();
  });

  it('equals hand-assembled projections + attention', () => {
    const attn = new MultiHeadAttention(4, 2, { fusedQkv: false, seed: 2 });
    const x = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 3);
    const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [1, 3, 2, 2]), [0, 2, 1, 3]);
    const expected = tf.tidy(() => {
      const o = scaledDotProductAttention(
        heads(attn.query!.forward(x)), heads(attn.key!.forward(x)), heads(attn.value!.forward(x)));
      return attn.out.forward(tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [1, 3, 4]));
    });
    expectClose(attn.forward(x, { training: false }).output, expected, 1e-6);
    attn.dispose();
  });

  it('gives the full-forward result when decoding token by token (rotary, padding)', () => {
    const rotary = new RotaryEmbedding(4, { maxPositions: 16 });
    const attn = new MultiHeadAttention(8, 2, { rotary, seed: 4 });
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 5);
    // Padding in row 0 (a fully padded query row would differ: its weights are uniform over whatever it sees).
    const am = tf.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    const full = attn.forward(x, { training: false, causal: true, attentionMask: am }).output;
    const before = tf.memory().numTensors;
    const steps = incremental(attn, x, am);
    expect(tf.memory().numTensors).toBe(before + 1);
    expectClose(steps, full, 1e-5);
    attn.dispose();
    rotary.dispose();
  });

  it('returns a cache of all positions only when asked', () => {
    const attn = new MultiHeadAttention(8, 2, { seed: 6 });
    const x = tf.randomNormal([1, 3, 8]);
    expect(attn.forward(x, { training: false }).cache).toBeUndefined();
    const r = attn.forward(x, { training: false, causal: true, useCache: true });
    expect(r.cache!.key.shape).toEqual([1, 2, 3, 4]);
    const next = attn.forward(tf.ones([1, 2, 8]), { training: false, causal: true, cache: r.cache });
    expect(next.cache!.value.shape).toEqual([1, 2, 5, 4]);
    attn.dispose();
  });

  it('cross-attention projects the context once and reuses the cache', () => {
    const attn = new MultiHeadAttention(8, 2, { crossAttention: true, seed: 7 });
    const x = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 8);
    const context = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 9);
    const full = attn.forward(x, { training: false, context });
    const first = attn.forward(x, { training: false, context, useCache: true });
    const again = attn.forward(x, { training: false, cache: first.cache });
    expect(again.cache).toBe(first.cache);
    expectClose(again.output, full.output, 1e-6);
    expect(() => attn.forward(x, { training: false })).toThrow(ConfigError);
    expect(() => attn.forward(x, { training: false, context, causal: true })).toThrow(ConfigError);
    attn.dispose();
  });

  it('has correct gradients with respect to its input', () => {
    const attn = new MultiHeadAttention(4, 2, { seed: 10, initStd: 0.5 });
    const x = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 11);
    const r = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 12);
    const { maxError } = checkGradients(
      (a) => tf.sum(tf.mul(attn.forward(a!, { training: false, causal: true }).output, r)), [x]);
    expect(maxError).toBeLessThan(5e-3);
    attn.dispose();
  });

  it('leaks nothing when training with dropout and frees all on dispose', () => {
    const before = tf.memory().numTensors;
    const attn = new MultiHeadAttention(8, 2, { dropout: 0.2, seed: 13 });
    const x = tf.randomNormal([2, 3, 8]);
    const am = tf.ones([2, 3]);
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(attn.forward(x, {
        training: true, causal: true, attentionMask: am,
      }).output), attn.trainableVariables());
    })).toBe(0);
    attn.dispose();
    tf.dispose([x, am]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates configuration and shapes', () => {
    expect(() => new MultiHeadAttention(100, 12, { seed: 1 })).toThrow('numHeads (12) must divide dim (100)');
    const rotary = new RotaryEmbedding(8, { maxPositions: 4 });
    expect(() => new MultiHeadAttention(8, 2, { rotary, seed: 1 })).toThrow(/rotary headDim \(8\)/);
    rotary.dispose();
    const attn = new MultiHeadAttention(8, 2, { seed: 1 });
    expect(() => attn.forward(tf.ones([2, 8]), { training: false })).toThrow(ShapeError);
    expect(() => attn.forward(tf.ones([1, 2, 8]), { training: false, context: tf.ones([1, 2, 8]) })).toThrow(ConfigError);
    attn.dispose();
  });
});

describe('MultiHeadAttention headDim (T5 d_kv)', () => {
  it('projects to numHeads·headDim, independent of dim, and matches per-head attention by hand', () => {
    const attn = new MultiHeadAttention(6, 2, { fusedQkv: false, bias: false, scale: false, headDim: 5, seed: 3 });
    expect(attn.namedParameters().map(([n, v]) => `${n}:${v.shape}`)).toEqual(
      ['query.weight:6,10', 'key.weight:6,10', 'value.weight:6,10', 'out.weight:10,6']);
    const x = tf.randomNormal([1, 3, 6], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const { output } = attn.forward(x, { training: false, causal: true });
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.tidy(() => {
      const heads = (w: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(tf.matMul(tf.reshape(x, [3, 6]), w), [1, 3, 2, 5]), [0, 2, 1, 3]);
      const mask = tf.tensor4d([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0], [1, 1, 3, 3]);
      const o = scaledDotProductAttention(heads(attn.query!.weight), heads(attn.key!.weight), heads(attn.value!.weight), { mask, scale: false });
      return tf.reshape(tf.matMul(tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [3, 10]), attn.out.weight), [1, 3, 6]);
    });
    expect(output.shape).toEqual([1, 3, 6]);
    expectClose(output, expected, 1e-5);
    tf.dispose([x, output, expected]);
    attn.dispose();
  });

  it('rejects a non-integer headDim with ConfigError', () => {
    expect(() => new MultiHeadAttention(6, 2, { headDim: 2.5, seed: 1 })).toThrow(ConfigError);
  });
});
