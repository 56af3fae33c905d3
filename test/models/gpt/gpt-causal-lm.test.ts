import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { IGNORE_INDEX, type CausalLMBatch } from '../../../src/data/causal-lm-batch.js';
import { writeModelFolder } from '../../../src/io/model-folder.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { expectCachedStepsMatchFull } from '../../generation/full-recompute-next.js';
import { AdamW } from '../../../src/training/adamw.js';
import { trainLoop } from '../../../src/training/train-loop.js';
import { ConfigError, ContextLengthError, SafetensorsError, ShapeError, VocabularyError } from '../../../src/utils/errors.js';

const config = { vocabSize: 23, hiddenSize: 16, numLayers: 2, numHeads: 2, contextLength: 8, seed: 5 };
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-gpt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function batch(rows: number[][], labels?: number[][]): CausalLMBatch {
  const t = rows[0]!.length;
  return {
    batchSize: rows.length, seqLength: t, inputIds: Int32Array.from(rows.flat()),
    labels: Int32Array.from((labels ?? rows.map((r) => [...r.slice(1), IGNORE_INDEX])).flat()),
  };
}

describe('GPTCausalLM', () => {
  it('names parameters from attribute paths and ties the head to the embedding', () => {
    const model = new GPTCausalLM(config);
    const names = model.namedParameters().map(([n]) => n);
    expect(names[0]).toBe('backbone.tokenEmbedding.weight');
    expect(names).toContain('backbone.blocks.1.attn.qkv.weight');
    expect(names).toContain('backbone.finalNorm.bias');
    // D·V + T·D + L·(12D² + 13D) + 2D: GPT-2's count with a tied head
    const d = 16;
    expect(model.numParameters()).toBe(23 * d + 8 * d + 2 * (12 * d * d + 13 * d) + 2 * d);
    model.dispose();
  });

  it('initialises identically from the same seed (0 included), differently from another', async () => {
    const sums = async (seed: number) => {
      const m = new GPTCausalLM({ ...config, seed });
      const out = await Promise.all(m.parameters().map(async (v) => Array.from(await v.data()).reduce((a, x) => a + x * (1 + x), 0)));
      m.dispose();
      return out;
    };
    expect(await sums(0)).toEqual(await sums(0));
    expect(await sums(7)).toEqual(await sums(7));
    expect(await sums(7)).not.toEqual(await sums(8));
  });

  it('is causal: logits at t do not depend on tokens after t', async () => {
    const model = new GPTCausalLM(config);
    const a = model.logits(tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32'), { training: false });
    const b = model.logits(tf.tensor2d([[1, 2, 9, 9]], undefined, 'int32'), { training: false });
    const [da, db] = [await a.data(), await b.data()];
    for (let i = 0; i < 2 * 23; i++) expect(db[i]).toBeCloseTo(da[i]!, 5);
    expect(Math.abs(db[2 * 23]! - da[2 * 23]!)).toBeGreaterThan(1e-6);
    tf.dispose([a, b]);
    model.dispose();
  });

  it('computes the mean cross-entropy, ignoring labels and padding', async () => {
    const model = new GPTCausalLM(config);
    const rows = [[1, 2, 3, 4], [5, 6, 7, 8]];
    const logits = model.logits(tf.tensor2d(rows, undefined, 'int32'), { training: false });
    const logp = await tf.tidy(() => tf.logSoftmax(logits)).array() as number[][][];
    const manual = (logp[0]![0]![2]! + logp[0]![1]![3]! + logp[1]![0]![6]!) / -3;
    const loss = model.computeLoss(batch(rows, [[2, 3, IGNORE_INDEX, IGNORE_INDEX], [6, 7, 8, 9]]), false);
    // row 1 positions 1..3 are padding: their labels must not count
    const padded = { ...batch(rows, [[2, 3, IGNORE_INDEX, IGNORE_INDEX], [6, 7, 8, 9]]), attentionMask: Uint8Array.of(1, 1, 1, 1, 1, 0, 0, 0) };
    const withMask = model.computeLoss(padded, false);
    expect((await withMask.data())[0]).toBeCloseTo(manual, 5);
    expect((await loss.data())[0]).not.toBeCloseTo(manual, 3);
    tf.dispose([logits, loss, withMask]);
    model.dispose();
  });

  it('decodes incrementally with the cache exactly as a full forward', async () => {
    const model = new GPTCausalLM(config);
    const seq = [3, 1, 4, 1, 5, 9];
    await expectCachedStepsMatchFull(model, seq, 3, 5e-5); // toBeCloseTo(v, 4)
    model.dispose();
  });

  it('keeps generating past the context window by re-encoding the last contextLength tokens', async () => {
    const model = new GPTCausalLM(config);
    const before = tf.memory().numTensors;
    const [out] = await model.generate([[1, 2, 3]], { maxNewTokens: 12 });
    expect(out).toHaveLength(12);
    expect(tf.memory().numTensors).toBe(before);
    // the token after a full window equals greedy on exactly that window
    const seq = [1, 2, 3, ...out!];
    const window = seq.slice(seq.length - 1 - 8, seq.length - 1);
    const logits = model.logits(tf.tensor2d([window], undefined, 'int32'), { training: false });
    const last = await tf.tidy(() => tf.argMax(tf.slice(logits, [0, 7, 0], [1, 1, -1]), -1)).data();
    expect(last[0]).toBe(seq[seq.length - 1]);
    logits.dispose();
    model.dispose();
  });

  it('rejects bad input with typed errors naming the values', async () => {
    const model = new GPTCausalLM(config);
    expect(() => model.computeLoss(batch([[1, 2, 23]]), true)).toThrowError('inputIds[2] = 23 is outside the vocabulary [0, 23)');
    expect(() => model.computeLoss(batch([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), true)).toThrowError(ContextLengthError);
    expect(() => model.computeLoss(batch([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), true)).toThrowError('exceeds contextLength (8)');
    expect(() => model.logits(tf.tensor1d([1, 2], 'int32'), { training: false })).toThrowError(ShapeError);
    await expect(model.generate([[1, 99]], { maxNewTokens: 1 })).rejects.toThrowError(VocabularyError);
    model.dispose();
  });

  it('leaks nothing in forward, training step and generation', async () => {
    const start = tf.memory().numTensors;
    const model = new GPTCausalLM({ ...config, dropout: 0.1 });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 1e-3 });
    const b = batch([[1, 2, 3, 4], [4, 3, 2, 1]]);
    await trainLoop(model, { optimizer, steps: 1, nextBatch: () => b });
    const before = tf.memory().numTensors;
    tf.tidy(() => { model.logits(tf.tensor2d([[1, 2]], undefined, 'int32'), { training: true }); });
    expect(tf.memory().numTensors).toBe(before);
    await trainLoop(model, { optimizer, steps: 2, maxGradNorm: 1, nextBatch: () => b });
    expect(tf.memory().numTensors).toBe(before);
    await model.generate([[1, 2]], { maxNewTokens: 3, strategy: 'sample', topK: 5 });
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('saves and loads bit for bit, and refuses broken folders without leaking', async () => {
    const model = new GPTCausalLM(config);
    const path = join(tmp, 'model');
    await model.save(path);
    const again = await GPTCausalLM.load(path);
    // The folder is Hugging Face's: GPT-2 names, the tied head left out, HF's config keys.
    expect(JSON.parse(readFileSync(join(path, 'config.json'), 'utf8'))).toMatchObject({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_embd: config.hiddenSize });
    expect(again.config).toEqual(model.config);
    for (const [name, v] of model.namedParameters()) {
      expect(Buffer.from((await again.stateDict()[name]!.data()).buffer)).toEqual(Buffer.from((await v.data()).buffer));
    }
    again.dispose();

    const before = tf.memory().numTensors;
    const weights = readFileSync(join(path, 'model.safetensors'));
    writeFileSync(join(path, 'model.safetensors'), weights.subarray(0, weights.length - 10));
    await expect(GPTCausalLM.load(path)).rejects.toThrowError(SafetensorsError);
    writeFileSync(join(path, 'model.safetensors'), weights);
    writeFileSync(join(path, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    await expect(GPTCausalLM.load(path)).rejects.toThrowError(/model_type "bert", expected "gpt2"/);
    writeFileSync(join(path, 'config.json'), JSON.stringify({ ...model.configJSON(), n_layer: 1 }));
    await expect(GPTCausalLM.load(path)).rejects.toThrowError(/unexpected keys: transformer\.h\.1/);
    // Folders of wordforge 0.x (our names, model_type "wordforge-gpt") still load.
    const legacy = join(tmp, 'legacy');
    await writeModelFolder(legacy, { model_type: 'wordforge-gpt', ...model.config }, model.stateDict());
    const old = await GPTCausalLM.load(legacy);
    expect(old.config).toEqual(model.config);
    old.dispose();
    await expect(GPTCausalLM.load(join(tmp, 'missing'))).rejects.toThrowError(ConfigError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
