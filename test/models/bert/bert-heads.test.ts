import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAll, readFixture, type EncodedTensor } from '../../helpers/fixtures.js';
import { loadSafetensors, saveSafetensors } from '../../../src/io/safetensors-file.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { BertForTokenClassification } from '../../../src/models/bert/bert-for-token-classification.js';

// Heads drawn by scripts/fixtures/bert_heads.py and their logits from a PyTorch port of HF's
// modeling code, itself checked there against HF's own masked-LM logits of the same encoders.
interface FamilyFixture {
  inputs: { input_ids: number[][]; attention_mask: number[][]; token_type_ids?: number[][] };
  sequence_head: Record<string, EncodedTensor>;
  sequence_logits: EncodedTensor;
  token_head: Record<string, EncodedTensor>;
  token_logits: EncodedTensor;
}
const heads = readFixture<{ num_labels: number; families: Record<string, FamilyFixture> }>('bert-heads.json');
const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wordforge-bert-heads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ARCHITECTURE = { bert: 'Bert', roberta: 'Roberta', distilbert: 'DistilBert' } as const;

/** An HF folder: the fixture's encoder weights (its MLM head dropped) plus `head`, config for `architecture`. */
async function assemble(family: keyof typeof ARCHITECTURE, suffix: string, head: Record<string, EncodedTensor>): Promise<string> {
  const dir = join(tmp, `${family}-${suffix}`);
  mkdirSync(dir, { recursive: true });
  const { tensors } = await loadSafetensors(join(fixture(family), 'model.safetensors'));
  const headTensors = decodeAll(head);
  const encoder = Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(`${family}.`)));
  await saveSafetensors(join(dir, 'model.safetensors'), { ...encoder, ...headTensors }, { format: 'pt' });
  tf.dispose([...Object.values(tensors), ...Object.values(headTensors)]);
  const config = JSON.parse(readFileSync(join(fixture(family), 'config.json'), 'utf8'));
  const labels = Array.from({ length: heads.num_labels }, (_, i) => `LABEL_${i}`);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    ...config, architectures: [`${ARCHITECTURE[family]}${suffix}`],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  }));
  return dir;
}

async function expectLogits(logits: tf.Tensor, want: EncodedTensor, mask: number[][]): Promise<void> {
  expect(logits.shape).toEqual(want.shape);
  const got = await logits.data();
  const perPosition = logits.rank === 3;
  const width = want.shape.at(-1)!;
  let compared = 0;
  for (let n = 0; n < got.length; n++) {
    const position = Math.floor(n / width);
    const [b, t] = [Math.floor(position / mask[0]!.length), position % mask[0]!.length];
    if (perPosition && mask[b]![t] === 0) continue; // padded positions depend on the masking constant
    expect(Math.abs(got[n]! - want.data[n]!), `logit ${n}`).toBeLessThan(1e-4);
    compared++;
  }
  expect(compared).toBeGreaterThan(0);
  logits.dispose();
}

describe.each(['bert', 'roberta', 'distilbert'] as const)('%s classification heads against a PyTorch port of Hugging Face', (family) => {
  const f = heads.families[family]!;
  const inputs = {
    inputIds: f.inputs.input_ids, attentionMask: f.inputs.attention_mask,
    ...(f.inputs.token_type_ids ? { tokenTypeIds: f.inputs.token_type_ids } : {}),
  };

  it('sequence classification: HF names (pooler / classifier.dense+out_proj / pre_classifier) and logits', async () => {
    const model = await BertForSequenceClassification.fromHuggingFace(await assemble(family, 'ForSequenceClassification', f.sequence_head));
    expect(model.config.numLabels).toBe(heads.num_labels);
    await expectLogits(model.logits(inputs), f.sequence_logits, f.inputs.attention_mask);
    model.dispose();
  });

  it('token classification logits at every valid position', async () => {
    const model = await BertForTokenClassification.fromHuggingFace(await assemble(family, 'ForTokenClassification', f.token_head));
    await expectLogits(model.logits(inputs), f.token_logits, f.inputs.attention_mask);
    model.dispose();
  });
});
