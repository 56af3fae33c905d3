import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../../src/io/safetensors-file.js';
import { T5EncoderModel } from '../../../src/models/t5/t5-encoder-model.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { StateDictError } from '../../../src/utils/errors.js';
import { fixtureCases, fixtureDir, haveFixtures, T5_FIXTURES } from './t5-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-t5-encoder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveFixtures)('T5EncoderModel', () => {
  for (const name of T5_FIXTURES) {
    it(`${name}: loads the encoder of a full checkpoint, equals the seq2seq model's encoder, saves as HF T5EncoderModel`, async () => {
      const full = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
      const encoder = await T5EncoderModel.fromHuggingFace(fixtureDir(name));
      expect(encoder.config).toEqual(full.config);
      const c = fixtureCases(name).at(-1)!;
      const before = tf.memory().numTensors;
      const ids = tf.tensor2d(c.inputs.input_ids, undefined, 'int32');
      const mask = tf.tensor2d(c.inputs.attention_mask ?? c.inputs.input_ids.map((r) => r.map(() => 1)), undefined, 'int32');
      const ours = encoder.forward(ids, { training: false, attentionMask: mask });
      const reference = full.encode(ids, { attentionMask: mask });
      expect(ours.shape).toEqual([...ids.shape, full.config.hiddenSize]);
      expect(await ours.data()).toEqual(await reference.data());
      tf.dispose([ids, mask, ours, reference]);
      expect(tf.memory().numTensors).toBe(before);

      const dir = join(tmp, name);
      await encoder.save(dir);
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).architectures).toEqual(['T5EncoderModel']);
      const { tensors } = await loadSafetensors(join(dir, 'model.safetensors'));
      const keys = Object.keys(tensors);
      expect(keys).toContain('shared.weight');
      expect(keys.every((k) => k === 'shared.weight' || k.startsWith('encoder.'))).toBe(true);
      expect(keys).toHaveLength(encoder.namedParameters().length);
      tf.dispose(Object.values(tensors));
      const again = await T5EncoderModel.fromHuggingFace(dir);
      for (const [param, v] of encoder.namedParameters()) expect(await again.stateDict()[param]!.data(), param).toEqual(await v.data());
      // A seq2seq model cannot come from an encoder-only folder: the decoder is missing.
      await expect(T5Seq2SeqLM.fromHuggingFace(dir)).rejects.toThrowError(StateDictError);
      await expect(T5Seq2SeqLM.fromHuggingFace(dir)).rejects.toThrowError(/missing keys: .*decoder\.final_layer_norm\.weight/);
      again.dispose();
      encoder.dispose();
      full.dispose();
    });
  }
});
