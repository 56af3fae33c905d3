import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors, saveSafetensors } from '../../../src/io/safetensors-file.js';
import { resolveBertConfig } from '../../../src/models/bert/bert-config.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { bertConfigFromHuggingFace } from '../../../src/models/bert/bert-hf-config.js';
import { bertStateDictFromHuggingFace } from '../../../src/models/bert/bert-hf-weights.js';
import { ConfigError, ContextLengthError, RangeArgumentError, ShapeError, StateDictError, VocabularyError } from '../../../src/utils/errors.js';

const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-bert-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const hfConfig = (family: string): Record<string, unknown> => JSON.parse(readFileSync(join(fixture(family), 'config.json'), 'utf8'));

/** A copy of a fixture folder whose weights are `edit`ed (tensors by HF name; the file's are disposed). */
async function editedCopy(family: string, name: string, edit: (t: Record<string, tf.Tensor>) => Record<string, tf.Tensor>): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixture(family), 'config.json'), join(dir, 'config.json'));
  const { tensors } = await loadSafetensors(join(fixture(family), 'model.safetensors'));
  const edited = edit(tensors);
  await saveSafetensors(join(dir, 'model.safetensors'), edited);
  tf.dispose([...Object.values(tensors), ...Object.values(edited)]);
  return dir;
}

describe('bad configs', () => {
  it('names an unknown model_type, unsupported features and bad values', () => {
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), model_type: 'electra' })).toThrowError(ConfigError);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), model_type: 'electra' })).toThrowError(/"electra"/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), hidden_act: 'mish' })).toThrowError(/hidden_act "mish"/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('distilbert'), activation: 'tanh' })).toThrowError(/activation "tanh"/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), position_embedding_type: 'relative_key' })).toThrowError(/"relative_key"/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), is_decoder: true })).toThrowError(/is_decoder/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('roberta'), tie_word_embeddings: false })).toThrowError(/tie_word_embeddings/);
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), num_attention_heads: 5 })).toThrowError('numHeads (5) must divide hiddenSize (48)');
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('distilbert'), n_layers: 0 })).toThrowError('numLayers (0) must be a positive integer');
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), hidden_dropout_prob: 1.5 })).toThrowError('hiddenDropout (1.5) must be in [0, 1)');
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), vocab_size: '288' })).toThrowError('vocabSize ("288") must be a finite number');
    expect(() => bertConfigFromHuggingFace([] as unknown as Record<string, unknown>)).toThrowError(ConfigError);
    expect(() => resolveBertConfig({ vocabSize: 10, hiddenSize: 8, numHeads: 2, hidenSize: 3 } as never)).toThrowError('unknown BERT config keys: hidenSize');
    expect(() => resolveBertConfig({ vocabSize: 10, variant: 'distilbert' })).toThrowError(/typeVocabSize \(2\) must be 0 for distilbert/);
    expect(() => resolveBertConfig({ vocabSize: 10, positionEmbedding: 'sinusoidal' })).toThrowError(/sinusoidal positions are a distilbert option/);
    expect(() => resolveBertConfig({ vocabSize: 10, padTokenId: 10 })).toThrowError('padTokenId (10) must be a token id in [0, 10)');
    expect(() => bertConfigFromHuggingFace({ ...hfConfig('bert'), problem_type: 'multi_label_classification' })).toThrowError(/multi_label_classification/);
    expect(() => resolveBertConfig({ vocabSize: 10, problemType: 'ranking' as never })).toThrowError(/problemType "ranking"/);
  });

  it('fromHuggingFace rejects a folder whose config is not a BERT family config', async () => {
    await expect(BertForMaskedLM.fromHuggingFace(fixture('t5'))).rejects.toThrowError(/model_type is "t5"/);
    await expect(BertForMaskedLM.fromHuggingFace(join(tmp, 'nowhere'))).rejects.toThrowError(ConfigError);
  });
});

describe('bad weights', () => {
  it('lists missing, unexpected and misshapen tensors by their Hugging Face names', async () => {
    const { tensors } = await loadSafetensors(join(fixture('bert'), 'model.safetensors'));
    const config = bertConfigFromHuggingFace(hfConfig('bert'));
    const wrong = tf.zeros([48, 47]);
    const edited = { ...tensors, 'bert.encoder.layer.1.output.dense.weight': wrong, 'bert.encoder.layer.9.output.dense.bias': wrong };
    delete (edited as Record<string, tf.Tensor>)['cls.predictions.bias'];
    let message = '';
    try {
      bertStateDictFromHuggingFace(edited, config, 'masked-lm');
    } catch (error) {
      expect(error).toBeInstanceOf(StateDictError);
      message = (error as Error).message;
    }
    expect(message).toContain('missing keys: cls.predictions.bias');
    expect(message).toContain('unexpected keys: bert.encoder.layer.9.output.dense.bias');
    expect(message).toContain('bert.encoder.layer.1.output.dense.weight: shape [48,47] in the file, expected [48,96]');
    tf.dispose([...Object.values(tensors), wrong]);
  });

  it('accepts what HF skips: gamma/beta names, position_ids buffers, the NSP head, tied decoder copies, prefix-less keys', async () => {
    const { tensors } = await loadSafetensors(join(fixture('bert'), 'model.safetensors'));
    const config = bertConfigFromHuggingFace(hfConfig('bert'));
    const extra = tf.zeros([2]);
    const old: Record<string, tf.Tensor> = {
      'bert.embeddings.position_ids': extra, 'cls.seq_relationship.weight': extra, 'cls.predictions.decoder.weight': extra,
      'bert.pooler.dense.weight': extra,
    };
    for (const [key, t] of Object.entries(tensors)) {
      old[key.replace(/^bert\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta')] = t;
    }
    const state = bertStateDictFromHuggingFace(old, config, 'masked-lm');
    expect(Object.keys(state)).toHaveLength(42);
    expect(state['backbone.embeddingNorm.weight']).toBe(tensors['bert.embeddings.LayerNorm.weight']);
    tf.dispose([...Object.values(tensors), ...Object.values(state), extra]);
  });

  it('fromHuggingFace fails with a typed error on a folder missing a tensor or holding an extra one', async () => {
    const missing = await editedCopy('roberta', 'missing', (t) => {
      const { 'roberta.encoder.layer.0.attention.self.key.bias': _, ...rest } = t;
      return { ...rest };
    });
    await expect(BertForMaskedLM.fromHuggingFace(missing)).rejects.toThrowError(/missing keys: roberta\.encoder\.layer\.0\.attention\.self\.key\.bias/);
    const extra = await editedCopy('distilbert', 'extra', (t) => ({ ...t, 'distilbert.transformer.layer.2.ffn.lin1.bias': tf.zeros([80]) }));
    await expect(BertForMaskedLM.fromHuggingFace(extra)).rejects.toThrowError(StateDictError);
    await expect(BertForMaskedLM.fromHuggingFace(extra)).rejects.toThrowError(/unexpected keys: distilbert\.transformer\.layer\.2\.ffn\.lin1\.bias/);
    await expect(BertForSequenceClassification.fromHuggingFace(fixture('bert'))).rejects.toThrowError(/missing keys: bert\.pooler\.dense\.weight/);
  });
});

describe('float16 and bfloat16 checkpoints', () => {
  /** float32 -> IEEE half bits (round to nearest; subnormals kept). */
  function toHalf(x: number): number {
    const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
    const a = Math.abs(x);
    if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
    let e = Math.floor(Math.log2(a));
    let m = Math.round((a / 2 ** e - 1) * 1024);
    if (m === 1024) { e += 1; m = 0; }
    return sign | ((e + 15) << 10) | m;
  }
  /** IEEE half bits -> number, written independently of src/io. */
  function fromHalf(h: number): number {
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    return sign * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
  }

  it.each(['F16', 'BF16'] as const)('a %s copy of the bert fixture loads as float32 with exactly the rounded values', async (dtype) => {
    const file = readFileSync(join(fixture('bert'), 'model.safetensors'));
    const headerLength = Number(file.readBigUInt64LE(0));
    const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    const newHeader: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    const chunks: Buffer[] = [];
    const expected: Record<string, Float32Array> = {};
    let offset = 0;
    for (const [key, entry] of Object.entries(header)) {
      if (key === '__metadata__') continue;
      const start = 8 + headerLength + entry.data_offsets[0];
      const values = new Float32Array(file.buffer.slice(file.byteOffset + start, file.byteOffset + start + entry.data_offsets[1] - entry.data_offsets[0]));
      const out = Buffer.alloc(values.length * 2);
      const bits = new Uint32Array(values.buffer);
      expected[key] = new Float32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const half = dtype === 'F16' ? toHalf(values[i]!) : bits[i]! >>> 16; // bfloat16: the top half of the float32 bits
        out.writeUInt16LE(half, i * 2);
        expected[key]![i] = dtype === 'F16' ? fromHalf(half) : new Float32Array(new Uint32Array([half << 16]).buffer)[0]!;
      }
      newHeader[key] = { dtype, shape: entry.shape, data_offsets: [offset, offset + out.length] };
      offset += out.length;
      chunks.push(out);
    }
    const headerBytes = Buffer.from(JSON.stringify(newHeader), 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(headerBytes.length));
    const dir = join(tmp, dtype);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.safetensors'), Buffer.concat([length, headerBytes, ...chunks]));
    copyFileSync(join(fixture('bert'), 'config.json'), join(dir, 'config.json'));

    const model = await BertForMaskedLM.fromHuggingFace(dir);
    const resaved = join(tmp, `${dtype}-resaved`);
    await model.save(resaved);
    const { tensors } = await loadSafetensors(join(resaved, 'model.safetensors'));
    for (const [key, want] of Object.entries(expected)) {
      expect(tensors[key]!.dtype, key).toBe('float32');
      expect(Array.from(await tensors[key]!.data()), key).toEqual(Array.from(want));
    }
    const reference = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    const ids = [[2, 31, 223, 106, 27, 3]];
    const [a, b] = [model.logits({ inputIds: ids }), reference.logits({ inputIds: ids })];
    const diff = tf.max(tf.abs(tf.sub(a, b)));
    expect((await diff.data())[0]).toBeLessThan(dtype === 'F16' ? 0.05 : 0.5); // rounding the weights moves the logits a little
    tf.dispose([a, b, diff, ...Object.values(tensors)]);
    model.dispose();
    reference.dispose();
  });
});

describe('bad inputs', () => {
  it('rejects ids outside the vocabulary, mismatched masks, token types on DistilBERT and over-long sequences', async () => {
    const bert = await BertForMaskedLM.fromHuggingFace(fixture('bert'));
    expect(() => bert.logits({ inputIds: [[2, 288, 3]] })).toThrowError(VocabularyError);
    expect(() => bert.logits({ inputIds: [[2, 5, 3]], attentionMask: [[1, 1]] })).toThrowError(ShapeError);
    expect(() => bert.logits({ inputIds: [[2, 5, 3], [2, 5]] })).toThrowError(ShapeError);
    expect(() => bert.logits({ inputIds: [Array(65).fill(5)] })).toThrowError(ContextLengthError);
    expect(() => bert.logits({ inputIds: [[2, 5, 3]], positionIds: [[0, 1, 64]] })).toThrowError('positionIds[0][2] = 64 is outside [0, 64)');
    expect(() => bert.logits({ inputIds: [[2, 5, 3]], tokenTypeIds: [[0, 2, 1]] })).toThrowError(RangeArgumentError);
    expect(() => bert.computeLoss({ batchSize: 1, seqLength: 3, inputIds: Int32Array.of(2, 5, 3), labels: Int32Array.of(1, 2) }, false)).toThrowError(ShapeError);
    bert.dispose();
    const regressor = new BertForSequenceClassification({ vocabSize: 20, hiddenSize: 8, numLayers: 1, numHeads: 2, numLabels: 1, problemType: 'regression' });
    const ints = { batchSize: 1, seqLength: 3, inputIds: Int32Array.of(2, 5, 3), labels: Int32Array.of(0) };
    expect(() => regressor.computeLoss(ints, false)).toThrowError('a regression model takes Float32Array regression targets as labels, got a Int32Array');
    const loss = regressor.computeLoss({ ...ints, labels: Float32Array.of(0.5) }, false);
    loss.dispose();
    regressor.dispose();
    const roberta = await BertForMaskedLM.fromHuggingFace(fixture('roberta'));
    const ok = roberta.logits({ inputIds: [Array(64).fill(5)] }); // 66 positions, numbered from padTokenId + 1 = 2
    ok.dispose();
    expect(() => roberta.logits({ inputIds: [Array(65).fill(5)] })).toThrowError(/exceeds roberta's 64 positions/);
    roberta.dispose();
    const distilbert = await BertForMaskedLM.fromHuggingFace(fixture('distilbert'));
    expect(() => distilbert.logits({ inputIds: [[2, 5, 3]], tokenTypeIds: [[0, 0, 1]] })).toThrowError(ConfigError);
    const distilLoss = distilbert.computeLoss({ batchSize: 1, seqLength: 3, inputIds: Int32Array.of(2, 5, 3), labels: Int32Array.of(-100, 5, -100), tokenTypeIds: Int32Array.of(0, 0, 0) }, false);
    expect(Number.isFinite((await distilLoss.data())[0])).toBe(true); // all-zero segment ids from a collator are ignored
    distilLoss.dispose();
    distilbert.dispose();
  });
});
