import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bertFromHuggingFace } from '../../../src/models/bert/bert-architectures.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';

// Tiny *ForMaskedLM checkpoints written by Hugging Face transformers 4.43.4, with the logits it computed.
const FAMILIES = ['bert', 'roberta', 'distilbert'] as const;
const folder = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const read = (family: string, name: string) => JSON.parse(readFileSync(`${folder(family)}${name}`, 'utf8'));

interface Case {
  name: string;
  inputs: { input_ids: number[][]; attention_mask?: number[][]; token_type_ids?: number[][]; position_ids?: number[][] };
}
interface ExpectedCase { logits: { shape: number[]; valid_positions?: number[][] } }

/** Largest |ours - HF| over the positions marked valid (`[B, T, V]` logits; `[B, N]` ones count as one position per row). */
function maxErrorAtValid(got: Float32Array, want: number[], shape: number[], valid: number[][]): { maxErr: number; compared: number } {
  const [b, t, v] = (shape.length === 3 ? shape : [shape[0], 1, shape[1]]) as [number, number, number];
  let maxErr = 0;
  let compared = 0;
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < t; j++) {
      if (valid[i]![j] !== 1) continue;
      compared++;
      for (let k = 0; k < v; k++) {
        const n = (i * t + j) * v + k;
        maxErr = Math.max(maxErr, Math.abs(got[n]! - Math.fround(want[n]!)));
      }
    }
  }
  return { maxErr, compared };
}

describe.each(FAMILIES)('%s masked LM against Hugging Face transformers', (family) => {
  it('reproduces HF logits within 1e-4 at every valid position of every case', async () => {
    // The class comes from config.json's architectures, as for any hidden checkpoint of the family.
    const model = await bertFromHuggingFace(folder(family)) as BertForMaskedLM; // checked just below
    expect(model.config.variant).toBe(family);
    expect(model).toBeInstanceOf(BertForMaskedLM);
    const cases = read(family, 'inputs.json').cases as Case[];
    const expected = read(family, 'expected.json').cases as Record<string, ExpectedCase>;
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const want = read(family, `logits_${c.name}.json`) as { shape: number[]; data: number[] };
      const logits = model.logits({
        inputIds: c.inputs.input_ids,
        ...(c.inputs.attention_mask ? { attentionMask: c.inputs.attention_mask } : {}),
        ...(c.inputs.token_type_ids ? { tokenTypeIds: c.inputs.token_type_ids } : {}),
        ...(c.inputs.position_ids ? { positionIds: c.inputs.position_ids } : {}),
      });
      expect(logits.shape, c.name).toEqual(want.shape);
      if (expected[c.name]) expect(expected[c.name]!.logits.shape).toEqual(want.shape);
      const ones = c.inputs.input_ids.map((row) => row.map(() => 1));
      const valid = want.shape.length === 2 ? ones.map(() => [1]) : expected[c.name]?.logits.valid_positions ?? c.inputs.attention_mask ?? ones;
      const { maxErr, compared } = maxErrorAtValid(await logits.data() as Float32Array, want.data, want.shape, valid);
      expect(compared, c.name).toBeGreaterThan(0);
      expect(maxErr, `${family}/${c.name}`).toBeLessThan(1e-4);
      logits.dispose();
    }
    model.dispose();
  });
});
