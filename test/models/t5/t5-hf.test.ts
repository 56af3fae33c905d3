import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { readFixture } from '../../helpers/fixtures.js';
import { caseLogits, fixtureCases, fixtureDir, haveFixtures, maxErrorAtValidPositions, readJSON, T5_FIXTURES, type T5Case } from './t5-fixture.js';

// scripts/fixtures/t5_generation.py: a decoder_attention_mask with a masked key inside a row and right padding.
interface DecoderMaskRef { inputIds: number[][]; attentionMask: number[][]; decoderInputIds: number[][]; decoderAttentionMask: number[][]; shape: number[]; logits: number[] }
const decoderMask = readFixture<{ decoderMask: Record<string, DecoderMaskRef> }>('t5-generation.json').decoderMask;

describe.skipIf(!haveFixtures)('T5 against Hugging Face transformers', () => {
  for (const name of T5_FIXTURES) {
    it(`${name}: reproduces HF logits within 1e-4 at every valid position of every case`, async () => {
      const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
      const cases = fixtureCases(name);
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const expected = readJSON<{ shape: number[] }>(name, `logits_${c.name}.json`);
        const { shape, data } = await caseLogits(model, c);
        expect(shape, c.name).toEqual(expected.shape);
        const err = maxErrorAtValidPositions(name, c, data);
        expect(err, `${name}/${c.name}`).toBeLessThan(1e-4);
      }
      model.dispose();
    });

    it(`${name}: a decoder attention mask (a masked key inside a row, right padding) matches the PyTorch reference at valid positions`, async () => {
      const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
      const r = decoderMask[name]!;
      const c: T5Case = { name: 'decoder-mask', inputs: { input_ids: r.inputIds, attention_mask: r.attentionMask, decoder_input_ids: r.decoderInputIds, decoder_attention_mask: r.decoderAttentionMask } };
      const { shape, data } = await caseLogits(model, c);
      expect(shape).toEqual(r.shape);
      const [b, t, v] = shape as [number, number, number];
      let maxErr = 0;
      let compared = 0;
      for (let i = 0; i < b * t; i++) {
        if (r.decoderAttentionMask[Math.floor(i / t)]![i % t] === 0) continue;
        compared++;
        for (let k = 0; k < v; k++) maxErr = Math.max(maxErr, Math.abs(data[i * v + k]! - r.logits[i * v + k]!));
      }
      expect(compared).toBe(b * t - 2);
      expect(maxErr).toBeLessThan(1e-4);
      model.dispose();
    });
  }
});
