import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertModel } from '../../../src/models/bert/bert-model.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { fromPretrained } from '../../../src/models/auto/from-pretrained.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { T5EncoderModel } from '../../../src/models/t5/t5-encoder-model.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { Tokenizer } from '../../../src/tokenizers/tokenizer.js';
import { ConfigError } from '../../../src/utils/errors.js';

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/hf-tiny/', import.meta.url));
const tokenizers = fileURLToPath(new URL('../../fixtures/tokenizers/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-auto-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fromPretrained', () => {
  it('builds the task model each fixture names, with no tokenizer when the folder has none', async () => {
    const expected = { gpt2: GPTCausalLM, bert: BertForMaskedLM, roberta: BertForMaskedLM, distilbert: BertForMaskedLM, t5: T5Seq2SeqLM, 't5-v1_1': T5Seq2SeqLM };
    const before = tf.memory().numTensors;
    for (const [family, cls] of Object.entries(expected)) {
      const { model, tokenizer, config } = await fromPretrained(join(fixtures, family));
      expect(model, family).toBeInstanceOf(cls);
      expect(tokenizer, family).toBeUndefined();
      expect(config.model_type).toBe(family === 't5-v1_1' ? 't5' : family);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads base-model folders (BertModel) as the bare encoder', async () => {
    // The masked-LM checkpoint with a fresh classification head has a pooler, as a base model does.
    const classifier = await BertForSequenceClassification.fromHuggingFace(join(fixtures, 'bert'), { newHead: true, numLabels: 2 });
    const encoder = classifier.backbone;
    const dir = join(tmp, 'bert-base');
    await encoder.save(dir);
    classifier.dispose();
    const base = await fromPretrained(dir);
    expect(base.model).toBeInstanceOf(BertModel);
    base.model.dispose();
  });

  it('loads a T5EncoderModel folder as the encoder alone', async () => {
    const dir = join(tmp, 't5-encoder');
    cpSync(join(fixtures, 't5'), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, architectures: ['T5EncoderModel'] }));
    const { model } = await fromPretrained(dir);
    expect(model).toBeInstanceOf(T5EncoderModel);
    model.dispose();
  });

  it('loads the folder tokenizer: Hugging Face files and wordforge character tokenizers', async () => {
    const gpt = join(tmp, 'gpt');
    cpSync(join(fixtures, 'gpt2'), gpt, { recursive: true });
    cpSync(join(tokenizers, 'byte-level-bpe.json'), join(gpt, 'tokenizer.json'));
    const hf = await fromPretrained(gpt);
    expect(hf.tokenizer).toBeInstanceOf(Tokenizer);
    expect((hf.tokenizer as Tokenizer).encode('Hello world').tokens.length).toBeGreaterThan(0);
    hf.model.dispose();
    expect((await fromPretrained(gpt, { loadTokenizer: false })).tokenizer).toBeUndefined();

    writeFileSync(join(gpt, 'tokenizer.json'), JSON.stringify(CharTokenizer.fromText('床前明月光').toJSON()));
    const chars = await fromPretrained(gpt);
    expect(chars.tokenizer).toBeInstanceOf(CharTokenizer);
    chars.model.dispose();
  });

  it('names an unknown model_type and the supported ones, and a missing config, without leaking', async () => {
    const before = tf.memory().numTensors;
    const llama = join(tmp, 'llama');
    cpSync(join(fixtures, 'gpt2'), llama, { recursive: true });
    writeFileSync(join(llama, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    await expect(fromPretrained(llama)).rejects.toThrowError(/model_type "llama" is not one wordforge implements; supported: gpt2, .*t5/);
    await expect(fromPretrained(join(tmp, 'nowhere'))).rejects.toThrowError(ConfigError);
    writeFileSync(join(llama, 'config.json'), '[1, 2]');
    await expect(fromPretrained(llama)).rejects.toThrowError(/must hold a JSON object/);
    // A broken tokenizer fails the call and frees the model it had built.
    cpSync(join(fixtures, 'gpt2', 'config.json'), join(llama, 'config.json'));
    writeFileSync(join(llama, 'tokenizer.json'), '{"model": {"type": "Nonsense"}}');
    await expect(fromPretrained(llama)).rejects.toThrowError(ConfigError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
