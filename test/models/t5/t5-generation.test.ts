import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { disposeT5Cache, type T5DecoderCache } from '../../../src/models/t5/t5-decoder-cache.js';
import { t5RelativePositionBucket } from '../../../src/models/t5/t5-relative-position-bias.js';
import { readFixture } from '../../helpers/fixtures.js';
import { fixtureDir, haveFixtures, T5_FIXTURES } from './t5-fixture.js';

// References from scripts/fixtures/t5_generation.py: a first-principles PyTorch T5 (its logits
// checked against HF's), greedy and HF-semantics beam search by full recomputation.
interface BeamRef { numBeams: number; lengthPenalty: number; eosTokenId: number; padTokenId: number; maxNewTokens: number; tokens: number[][] }
interface CaseRef {
  case: string; inputIds: number[][]; attentionMask: number[][];
  greedy: { eosTokenId: number; padTokenId: number; maxNewTokens: number; tokens: number[][] };
  beam: BeamRef[];
}
const ref = readFixture<{
  buckets: Array<{ numBuckets: number; maxDistance: number; bidirectional: boolean; from: number; buckets: number[] }>;
  fixtures: Record<string, CaseRef[]>;
}>('t5-generation.json');

describe('t5RelativePositionBucket', () => {
  it('equals torch _relative_position_bucket for every distance in [-300, 300] and several settings', () => {
    for (const table of ref.buckets) {
      const ours = table.buckets.map((_, i) => t5RelativePositionBucket(table.from + i, table.bidirectional, table.numBuckets, table.maxDistance));
      expect(ours, JSON.stringify({ ...table, buckets: undefined })).toEqual(table.buckets);
    }
  });
});

describe.skipIf(!haveFixtures)('T5 generation against the PyTorch reference', () => {
  const models: Record<string, T5Seq2SeqLM> = {};
  beforeAll(async () => {
    for (const name of T5_FIXTURES) models[name] = await T5Seq2SeqLM.fromHuggingFace(fixtureDir(name));
  });
  afterAll(() => Object.values(models).forEach((m) => m.dispose()));

  for (const name of T5_FIXTURES) {
    it(`${name}: greedy and beam search (3 beams, two eos ids) give the reference tokens, encoder once, no leak`, async () => {
      const model = models[name]!;
      const encoderRuns = vi.spyOn(model.backbone.encoder, 'forward');
      for (const c of ref.fixtures[name]!) {
        const before = tf.memory().numTensors;
        encoderRuns.mockClear();
        const g = c.greedy;
        const greedy = await model.generate(c.inputIds, { attentionMask: c.attentionMask, maxNewTokens: g.maxNewTokens, eosTokenId: g.eosTokenId, padTokenId: g.padTokenId });
        expect(greedy, `${name}/${c.case} greedy`).toEqual(g.tokens);
        expect(encoderRuns).toHaveBeenCalledTimes(1);
        for (const b of c.beam) {
          encoderRuns.mockClear();
          const beams = await model.generate(c.inputIds, {
            attentionMask: c.attentionMask, maxNewTokens: b.maxNewTokens, numBeams: b.numBeams,
            lengthPenalty: b.lengthPenalty, eosTokenId: b.eosTokenId, padTokenId: b.padTokenId,
          });
          expect(beams, `${name}/${c.case} beam eos ${b.eosTokenId}`).toEqual(b.tokens);
          expect(encoderRuns).toHaveBeenCalledTimes(1);
        }
        expect(tf.memory().numTensors).toBe(before);
      }
      encoderRuns.mockRestore();
    });

    it(`${name}: cached decoding steps equal full recomputation within 1e-5`, async () => {
      const model = models[name]!;
      const c = ref.fixtures[name]!.at(-1)!;
      const rows = c.greedy.tokens.map((row) => [model.config.decoderStartTokenId, ...row]);
      const before = tf.memory().numTensors;
      const next = model.decoderNext(c.inputIds, c.attentionMask);
      const inputs = {
        inputIds: tf.tensor2d(c.inputIds, undefined, 'int32'),
        attentionMask: tf.tensor2d(c.attentionMask, undefined, 'int32'),
        decoderInputIds: tf.tensor2d(rows, undefined, 'int32'),
      };
      const full = model.logits(inputs);
      const fullData = await full.data();
      const [b, l, v] = full.shape;
      const crossKeys = vi.spyOn(model.backbone.decoder.blocks[0]!.crossAttn!.key!, 'forward');
      let cache: T5DecoderCache | null = null;
      let maxErr = 0;
      for (let t = 0; t < l; t++) {
        const tokens = tf.tensor2d(rows.map((row) => [row[t]!]), undefined, 'int32');
        const out = next(tokens, cache);
        if (cache !== null) disposeT5Cache(cache);
        cache = out.cache;
        expect(cache.selfAttention[0]!.key.shape[2]).toBe(t + 1);
        const step = await out.logits.data();
        for (let r = 0; r < b; r++) {
          for (let k = 0; k < v; k++) maxErr = Math.max(maxErr, Math.abs(step[r * v + k]! - fullData[(r * l + t) * v + k]!));
        }
        tf.dispose([tokens, out.logits]);
      }
      disposeT5Cache(cache!);
      expect(crossKeys).toHaveBeenCalledTimes(1); // cross-attention keys projected once, at the first step
      crossKeys.mockRestore();
      tf.dispose([full, ...Object.values(inputs)]);
      expect(maxErr).toBeLessThan(1e-5);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('several samples per input (numReturnSequences) share that input\'s encoder rows', async () => {
    const model = models['t5-v1_1']!;
    const c = ref.fixtures['t5-v1_1']!.at(-1)!;
    const before = tf.memory().numTensors;
    // topK 1 makes sampling greedy: each input's two samples must be its greedy reference.
    const samples = await model.generate(c.inputIds, {
      attentionMask: c.attentionMask, maxNewTokens: c.greedy.maxNewTokens, doSample: true, topK: 1, numReturnSequences: 2, seed: 9,
    });
    expect(samples).toEqual(c.greedy.tokens.flatMap((row) => [row, row]));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stream yields the greedy tokens step by step; breaking out and long runs free everything', async () => {
    const model = models['t5-v1_1']!;
    const c = ref.fixtures['t5-v1_1']![0]!;
    const before = tf.memory().numTensors;
    const steps: number[][] = [];
    for await (const tokens of model.stream(c.inputIds, { attentionMask: c.attentionMask, maxNewTokens: c.greedy.maxNewTokens })) steps.push(tokens);
    expect(steps.map((s) => s[0])).toEqual(c.greedy.tokens[0]);
    for await (const tokens of model.stream(c.inputIds, { maxNewTokens: 50 })) if (tokens.length > 0) break;
    const long = await model.generate([[5, 6, 7, 1]], { maxNewTokens: 60, eosTokenId: [], doSample: true, topK: 20, seed: 3 });
    expect(long[0]).toHaveLength(60);
    expect(tf.memory().numTensors).toBe(before);
  });
});
