import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { caseLogits, fixtureCases, fixtureDir, haveFixtures, maxErrorAtValidPositions, readJSON, T5_FIXTURES } from './t5-fixture.js';

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
  }
});
