import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../../src/io/safetensors-file.js';
import { writeModelFolder } from '../../../src/io/model-folder.js';
import { BertModel } from '../../../src/models/bert/bert-model.js';
import { BERT_PRESETS } from '../../../src/models/bert/bert-presets.js';
import { resolveBertConfig, type BertConfigInput, type BertVariant } from '../../../src/models/bert/bert-config.js';
import { BertForMaskedLM } from '../../../src/models/bert/bert-for-masked-lm.js';
import { BertForSequenceClassification } from '../../../src/models/bert/bert-for-sequence-classification.js';
import { BertForTokenClassification } from '../../../src/models/bert/bert-for-token-classification.js';
import { bertArchitecture, bertConfigFromHuggingFace, bertConfigToHuggingFace, type BertTask } from '../../../src/models/bert/bert-hf-config.js';
import { bertHasPooler, bertParameterCount } from '../../../src/models/bert/bert-hf-weights.js';
import { bertClassForArchitecture, bertFromHuggingFace } from '../../../src/models/bert/bert-architectures.js';

const fixture = (family: string): string => fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${family}/`, import.meta.url));
const readJSON = (family: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(`${fixture(family)}${name}`, 'utf8'));

/**
 * Parameter count from the architecture, written independently of the weight table: embeddings
 * (word, position, token type, LayerNorm), per layer four D×D projections with biases, two
 * LayerNorms and the D→FF→D feed-forward, then the pooler or the head.
 */
function formula(c: { vocabSize: number; hiddenSize: number; numLayers: number; intermediateSize: number; maxPositions: number; typeVocabSize: number; numLabels: number; variant: BertVariant }, task: BertTask): number {
  const { vocabSize: v, hiddenSize: d, numLayers: l, intermediateSize: f, maxPositions: p, typeVocabSize: tt, numLabels: n } = c;
  const embeddings = v * d + p * d + tt * d + 2 * d;
  const layer = 4 * (d * d + d) + 2 * (2 * d) + (d * f + f) + (f * d + d);
  const pooler = d * d + d;
  const head = {
    'base': c.variant === 'distilbert' ? 0 : pooler,
    'masked-lm': pooler + 2 * d + v, // transform dense, LayerNorm, decoder bias (decoder weight tied)
    'sequence-classification': pooler + d * n + n, // BERT's pooler, or RoBERTa's/DistilBERT's dense
    'token-classification': d * n + n,
  }[task];
  return embeddings + l * layer + head;
}

describe('BERT presets have the standard sizes', () => {
  it('match the parameter counts Hugging Face reports, by the weight table and by an independent formula', () => {
    const hf: Array<[keyof typeof BERT_PRESETS, BertTask, number]> = [
      ['bert-base-uncased', 'base', 109_482_240],
      ['bert-base-uncased', 'masked-lm', 109_514_298],
      ['roberta-base', 'base', 124_645_632],
      ['roberta-large', 'base', 355_359_744],
      ['distilbert-base-uncased', 'base', 66_362_880],
    ];
    for (const [name, task, count] of hf) {
      const config = resolveBertConfig(BERT_PRESETS[name]);
      expect(bertParameterCount(config, task), `${name} ${task}`).toBe(count);
      expect(formula(config, task), `${name} ${task}`).toBe(count);
    }
  });

  it('the weight table counts exactly the parameters a built model has, for every variant and head', () => {
    for (const variant of ['bert', 'roberta', 'distilbert'] as const) {
      const config: BertConfigInput = {
        variant, vocabSize: 37, hiddenSize: 12, numLayers: 2, numHeads: 3, intermediateSize: 20, maxPositions: 18,
        typeVocabSize: variant === 'distilbert' ? 0 : 3, padTokenId: 1, numLabels: 5,
      };
      const resolved = resolveBertConfig(config);
      const models: Array<[BertTask, { numParameters(): number; dispose(): void }]> = [
        ['base', new BertModel(config, { pooler: bertHasPooler(variant, 'base') })],
        ['masked-lm', new BertForMaskedLM(config)],
        ['sequence-classification', new BertForSequenceClassification(config)],
        ['token-classification', new BertForTokenClassification(config)],
      ];
      for (const [task, model] of models) {
        expect(model.numParameters(), `${variant} ${task}`).toBe(bertParameterCount(config, task));
        expect(model.numParameters(), `${variant} ${task}`).toBe(formula(resolved, task));
        model.dispose();
      }
    }
  });
});

describe('Hugging Face config.json', () => {
  it.each(['bert', 'roberta', 'distilbert'])('reads the %s fixture and writes back the values HF holds for every key it writes', (family) => {
    const config = bertConfigFromHuggingFace(readJSON(family, 'config.json'));
    expect(config.variant).toBe(family);
    const written = bertConfigToHuggingFace(config, 'masked-lm');
    const full = readJSON(family, 'config.full.json'); // every key HF's config class has, with its value
    for (const [key, value] of Object.entries(written)) {
      expect(full, key).toHaveProperty([key]);
      expect(value, key).toEqual(full[key]);
    }
    expect(bertConfigFromHuggingFace(written)).toEqual(config);
    expect(bertConfigFromHuggingFace(bertConfigToHuggingFace({ ...config, numLabels: 4, classifierDropout: 0.3 }, 'token-classification')))
      .toEqual({ ...config, numLabels: 4, classifierDropout: 0.3 });
    const regression = bertConfigToHuggingFace({ ...config, numLabels: 1, problemType: 'regression' }, 'sequence-classification');
    expect(regression.problem_type).toBe('regression');
    expect(bertConfigFromHuggingFace(regression)).toEqual({ ...config, numLabels: 1, problemType: 'regression' });
  });

  it('a fresh model zeroes the padding rows as HF\'s init does (RoBERTa: also the pads\' position row)', async () => {
    for (const variant of ['bert', 'roberta', 'distilbert'] as const) {
      const model = new BertModel({ variant, vocabSize: 20, hiddenSize: 8, numLayers: 1, numHeads: 2, maxPositions: 12,
        typeVocabSize: variant === 'distilbert' ? 0 : 2, padTokenId: 3 });
      const words = await model.wordEmbedding.weight.array() as number[][];
      expect(words[3], variant).toEqual(Array(8).fill(0));
      expect(words[2]!.some((x) => x !== 0), variant).toBe(true);
      const positions = await model.positionEmbedding.weight.array() as number[][];
      expect(positions[3]!.every((x) => x === 0), variant).toBe(variant === 'roberta');
      model.dispose();
    }
  });

  it('reads DistilBERT sinusoidal positions as frozen sinusoids', () => {
    const config = bertConfigFromHuggingFace({ ...readJSON('distilbert', 'config.json'), sinusoidal_pos_embds: true });
    expect(config.positionEmbedding).toBe('sinusoidal');
    const model = new BertModel(config);
    expect(model.positionEmbedding.weight.trainable).toBe(false);
    const table = model.positionEmbedding.weight.arraySync() as number[][];
    // HF create_sinusoidal_embeddings: sin at even, cos at odd columns of pos / 10000^(2⌊j/2⌋/dim).
    for (const [p, j] of [[0, 0], [0, 1], [5, 4], [9, 7], [63, 31]] as const) {
      const angle = p / 10000 ** ((2 * Math.floor(j / 2)) / 32);
      expect(table[p]![j]).toBeCloseTo(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle), 6);
    }
    model.dispose();
  });

  it('a sinusoidal DistilBERT loads with or without its stored position table, to the same logits', async () => {
    const config = { ...bertConfigFromHuggingFace({ ...readJSON('distilbert', 'config.json'), sinusoidal_pos_embds: true }), seed: 3 };
    const model = new BertForMaskedLM(config);
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-bert-sin-'));
    await model.save(join(dir, 'stored'));
    const { tensors } = await loadSafetensors(join(dir, 'stored', 'model.safetensors'));
    expect(Object.keys(tensors)).toContain('distilbert.embeddings.position_embeddings.weight'); // HF saves the frozen table too
    const { 'distilbert.embeddings.position_embeddings.weight': table, ...rest } = tensors;
    await writeModelFolder(join(dir, 'computed'), model.configJSON(), rest);
    tf.dispose([...Object.values(rest), table!]);
    const ids = { inputIds: [[2, 7, 9, 11, 3]] };
    const want = model.logits(ids);
    for (const folder of ['stored', 'computed']) {
      const again = await BertForMaskedLM.fromHuggingFace(join(dir, folder));
      expect(again.backbone.positionEmbedding.weight.trainable).toBe(false);
      const got = again.logits(ids);
      expect(Array.from(await got.data()), folder).toEqual(Array.from(await want.data()));
      got.dispose();
      again.dispose();
    }
    want.dispose();
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps architectures names to classes and loads a folder into the class its config names', async () => {
    expect(bertArchitecture('DistilBertForSequenceClassification')).toEqual({ variant: 'distilbert', task: 'sequence-classification' });
    expect(bertArchitecture('RobertaModel')).toEqual({ variant: 'roberta', task: 'base' });
    expect(bertArchitecture('BertForPreTraining')).toBeUndefined();
    expect(bertClassForArchitecture('RobertaForMaskedLM')).toBe(BertForMaskedLM);
    expect(bertClassForArchitecture('BertForTokenClassification')).toBe(BertForTokenClassification);
    expect(bertClassForArchitecture('DistilBertForSequenceClassification')).toBe(BertForSequenceClassification);
    expect(bertClassForArchitecture('BertForQuestionAnswering')).toBeUndefined();
    expect(bertClassForArchitecture('DistilBertModel')).toBe(BertModel);
    const model = await bertFromHuggingFace(fixture('roberta'));
    expect(model).toBeInstanceOf(BertForMaskedLM);
    model.dispose();
    await expect(bertFromHuggingFace(fixture('t5'))).rejects.toThrowError(/names no BERT-family task class/);
  });
});
