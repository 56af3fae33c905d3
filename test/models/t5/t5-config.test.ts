import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { saveSafetensors, loadSafetensors } from '../../../src/io/safetensors-file.js';
import { resolveT5Config } from '../../../src/models/t5/t5-config.js';
import { t5ConfigFromHuggingFace, t5ConfigToHuggingFace, t5StateDictFromHuggingFace } from '../../../src/models/t5/t5-hf-weights.js';
import { T5_PRESETS, t5ParameterCount } from '../../../src/models/t5/t5-presets.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { ConfigError, SafetensorsError, StateDictError } from '../../../src/utils/errors.js';
import { fixtureDir, haveFixtures } from './t5-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-t5-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('T5 presets and parameter counts', () => {
  it('match the released checkpoints: t5-small 60,506,624, t5-base 222,903,552, t5-v1_1-small 76,961,152', () => {
    // Independent formula: shared V·D (+ V·D untied head); per stack buckets·H + D;
    // encoder block 4·D·H·dkv + 2·D + (2|3)·D·F; decoder block 8·D·H·dkv + 3·D + (2|3)·D·F.
    const formula = (v: number, d: number, dkv: number, f: number, l: number, h: number, gated: boolean, tied: boolean): number => {
      const ff = (gated ? 3 : 2) * d * f;
      return (tied ? 1 : 2) * v * d + 2 * (32 * h + d) + l * (4 * d * h * dkv + 2 * d + ff) + l * (8 * d * h * dkv + 3 * d + ff);
    };
    expect(formula(32128, 512, 64, 2048, 6, 8, false, true)).toBe(60_506_624);
    expect(formula(32128, 768, 64, 3072, 12, 12, false, true)).toBe(222_903_552);
    expect(formula(32128, 512, 64, 1024, 8, 6, true, false)).toBe(76_961_152);
    expect(t5ParameterCount(T5_PRESETS['t5-small'])).toBe(60_506_624);
    expect(t5ParameterCount(T5_PRESETS['t5-base'])).toBe(222_903_552);
    expect(t5ParameterCount(T5_PRESETS['t5-v1_1-small'])).toBe(76_961_152);
  });

  it('t5ParameterCount equals numParameters() of real tiny models (tied/untied, gated, unequal depths)', () => {
    const variants = [
      { vocabSize: 20, hiddenSize: 8, headDim: 3, numHeads: 2, intermediateSize: 10, numLayers: 1 },
      { vocabSize: 20, hiddenSize: 8, headDim: 5, numHeads: 3, intermediateSize: 6, numLayers: 2, numDecoderLayers: 1, gatedFeedForward: true, tieWordEmbeddings: false, relativeAttentionNumBuckets: 6 },
    ];
    for (const config of variants) {
      const model = new T5Seq2SeqLM(config);
      expect(t5ParameterCount(config)).toBe(model.numParameters());
      model.dispose();
    }
  });
});

describe('T5 config validation', () => {
  it('rejects bad values with ConfigError naming them', () => {
    expect(() => resolveT5Config({ vocabSize: 10, numHeads: 2.5 })).toThrowError('numHeads (2.5) must be a positive integer');
    expect(() => resolveT5Config({ vocabSize: 10, activation: 'tanh' as 'relu' })).toThrowError(/activation \("tanh"\)/);
    expect(() => resolveT5Config({ vocabSize: 10, eosTokenId: 10 })).toThrowError('eosTokenId (10) must be an id in [0, vocabSize 10)');
    expect(() => resolveT5Config({ vocabSize: 10, hiddenDim: 4 } as never)).toThrowError('unknown T5 config fields: hiddenDim');
    expect(() => resolveT5Config({ vocabSize: 10, dropout: 1 })).toThrowError(ConfigError);
    expect(() => resolveT5Config({ vocabSize: 10, tieWordEmbeddings: 'yes' as never })).toThrowError(/tieWordEmbeddings \("yes"\)/);
    expect(() => new T5Seq2SeqLM({ vocabSize: 10, hiddenSize: 4, headDim: 2, numHeads: 2, intermediateSize: 4, numLayers: 1, relativeAttentionNumBuckets: 2 }))
      .toThrowError('relative attention numBuckets (2) must be at least 4');
  });

  it('reads HF configs (defaults, gated-gelu, untied) and writes them back', () => {
    const v11 = t5ConfigFromHuggingFace({ model_type: 't5', vocab_size: 50, d_model: 8, d_kv: 3, d_ff: 6, num_layers: 2, num_heads: 2, feed_forward_proj: 'gated-gelu', tie_word_embeddings: false });
    expect(v11).toMatchObject({ activation: 'gelu_tanh', gatedFeedForward: true, tieWordEmbeddings: false, numDecoderLayers: 2, decoderStartTokenId: 0, relativeAttentionNumBuckets: 32 });
    expect(t5ConfigFromHuggingFace(t5ConfigToHuggingFace(v11))).toEqual(v11);
    const relu = t5ConfigFromHuggingFace({ model_type: 't5', vocab_size: 50, num_decoder_layers: null });
    expect(relu).toMatchObject({ hiddenSize: 512, activation: 'relu', gatedFeedForward: false, tieWordEmbeddings: true, numDecoderLayers: 6 });
    expect(t5ConfigToHuggingFace(relu)).toMatchObject({ feed_forward_proj: 'relu', dense_act_fn: 'relu', is_gated_act: false });
    expect(t5ConfigFromHuggingFace({ model_type: 't5', vocab_size: 50, feed_forward_proj: 'gated-silu' })).toMatchObject({ activation: 'silu', gatedFeedForward: true });
  });

  it('rejects HF configs it cannot represent, naming the key', () => {
    expect(() => t5ConfigFromHuggingFace({ model_type: 'bart' })).toThrowError('config.json model_type is "bart", expected "t5"');
    expect(() => t5ConfigFromHuggingFace({ model_type: 't5', feed_forward_proj: 'gated-tanh' })).toThrowError(/feed_forward_proj "gated-tanh" is not supported/);
    expect(() => t5ConfigFromHuggingFace({ model_type: 't5', feed_forward_proj: 'big-relu' })).toThrowError(ConfigError);
    expect(() => t5ConfigFromHuggingFace({ model_type: 't5', d_model: '512' })).toThrowError('config.json d_model ("512") must be a number');
    expect(() => t5ConfigFromHuggingFace({ model_type: 't5', tie_word_embeddings: 1 })).toThrowError(/tie_word_embeddings \(1\)/);
    expect(() => t5ConfigFromHuggingFace([] as never)).toThrowError(ConfigError);
  });
});

describe.skipIf(!haveFixtures)('T5 weights that do not match', () => {
  const config = () => t5ConfigFromHuggingFace(JSON.parse(readFileSync(`${fixtureDir('t5')}config.json`, 'utf8')));

  it('lists missing, unexpected and mis-shaped tensors by their HF names, leaking nothing', async () => {
    const { tensors } = await loadSafetensors(`${fixtureDir('t5')}model.safetensors`);
    const before = tf.memory().numTensors;
    const { 'decoder.final_layer_norm.weight': dropped, ...rest } = tensors;
    expect(() => t5StateDictFromHuggingFace(rest, config())).toThrowError(/missing keys: decoder\.final_layer_norm\.weight/);
    const extra = tf.zeros([2]);
    expect(() => t5StateDictFromHuggingFace({ ...tensors, 'encoder.block.2.layer.0.SelfAttention.q.weight': extra }, config()))
      .toThrowError(/unexpected keys: encoder\.block\.2\.layer\.0\.SelfAttention\.q\.weight/);
    const wrong = tf.zeros([32, 31]);
    expect(() => t5StateDictFromHuggingFace({ ...tensors, 'encoder.block.0.layer.0.SelfAttention.k.weight': wrong }, config()))
      .toThrowError('wrong shapes: encoder.block.0.layer.0.SelfAttention.k.weight has shape [32,31], expected [32,32]');
    expect(() => t5StateDictFromHuggingFace({}, config())).toThrowError(StateDictError);
    // Tied copies HF may store are accepted and skipped; encoder.embed_tokens stands in for shared.
    const { 'shared.weight': shared, ...noShared } = tensors;
    const state = t5StateDictFromHuggingFace({ ...noShared, 'encoder.embed_tokens.weight': shared!, 'decoder.embed_tokens.weight': shared!, 'lm_head.weight': shared! }, config());
    expect(state['backbone.shared.weight']!.shape).toEqual([160, 32]);
    tf.dispose([extra, wrong, ...Object.values(state)]);
    expect(tf.memory().numTensors).toBe(before);
    expect(dropped).toBeDefined();
    tf.dispose(Object.values(tensors));
  });

  it('loading a broken folder throws typed errors and leaks nothing', async () => {
    const dir = join(tmp, 'broken');
    mkdirSync(dir, { recursive: true });
    copyFileSync(`${fixtureDir('t5')}config.json`, join(dir, 'config.json'));
    const weights = readFileSync(`${fixtureDir('t5')}model.safetensors`);
    const before = tf.memory().numTensors;
    writeFileSync(join(dir, 'model.safetensors'), weights.subarray(0, weights.length - 10));
    await expect(T5Seq2SeqLM.load(dir)).rejects.toThrowError(SafetensorsError);
    const { tensors } = await loadSafetensors(`${fixtureDir('t5')}model.safetensors`);
    await saveSafetensors(join(dir, 'model.safetensors'), { ...tensors, 'lm_head.bias': tensors['decoder.final_layer_norm.weight']! });
    tf.dispose(Object.values(tensors));
    await expect(T5Seq2SeqLM.load(dir)).rejects.toThrowError(/unexpected keys: lm_head\.bias/);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 't5', vocab_size: 160, d_model: 32, d_kv: 8, d_ff: 64, num_layers: 3, num_decoder_layers: 2, num_heads: 4 }));
    await expect(T5Seq2SeqLM.load(dir)).rejects.toThrowError(/missing keys: encoder\.block\.2\./);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('T5 initialisation', () => {
  it('draws weights with Hugging Face T5 standard deviations', async () => {
    const c = { vocabSize: 50, hiddenSize: 64, headDim: 16, numHeads: 4, intermediateSize: 128, numLayers: 1, tieWordEmbeddings: false, seed: 2 };
    const model = new T5Seq2SeqLM(c);
    const std = async (t: tf.Tensor): Promise<number> => {
      const data = await t.data();
      return Math.sqrt(Array.from(data).reduce((s, x) => s + x * x, 0) / data.length);
    };
    const block = model.backbone.decoder.blocks[0]!;
    const expected: Array<[tf.Tensor, number]> = [
      [model.backbone.shared.weight, 1], [model.lmHead!.weight, 1],
      [block.attn.query!.weight, 1 / Math.sqrt(64 * 16)], [block.crossAttn!.query!.weight, 1 / Math.sqrt(64 * 16)],
      [block.attn.key!.weight, 1 / 8], [block.attn.value!.weight, 1 / 8], [block.attn.out.weight, 1 / 8],
      [block.mlp.fc.weight, 1 / 8], [block.mlp.out.weight, 1 / Math.sqrt(128)],
      [model.backbone.encoder.relativeBias.weight, 1 / 8],
    ];
    for (const [t, s] of expected) expect(Math.abs((await std(t)) / s - 1)).toBeLessThan(0.3);
    for (const [t, s] of expected.slice(2, 9)) expect(Math.abs((await std(t)) / s - 1)).toBeLessThan(0.06);
    model.dispose();
  });
});
