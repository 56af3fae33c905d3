import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeT5Cache, reorderT5Cache } from '../../../src/models/t5/t5-decoder-cache.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';

const config = { vocabSize: 40, hiddenSize: 16, headDim: 4, numHeads: 2, intermediateSize: 24, numLayers: 1, seed: 2 };
const start = (rows: number): tf.Tensor2D => tf.tensor2d(Array.from({ length: rows }, () => [0]), undefined, 'int32');

describe('T5 decoding cache: the tied head transposed once', () => {
  it('carries the shared embedding transposed [D, V] from the first step on, its own handle per cache, freed with it', async () => {
    const model = new T5Seq2SeqLM(config);
    const before = tf.memory().numTensors;
    const next = model.decoderNext([[5, 6, 7, 1], [8, 9, 1, 0]]);
    const [two, three] = [start(2), start(3)];
    const first = next(two, null);
    expect(first.cache.headWeight?.shape).toEqual([16, 40]);
    const headTensor = tf.transpose(model.backbone.shared.weight); // [V, D] -> [D, V]
    const transposed = await headTensor.array();
    headTensor.dispose();
    expect(await first.cache.headWeight!.array()).toEqual(transposed);

    const token = tf.tensor2d([[3], [4]], undefined, 'int32');
    const second = next(token, first.cache);
    expect(second.cache.headWeight).not.toBe(first.cache.headWeight);
    const beams = reorderT5Cache(second.cache, [1, 1, 0]);
    expect(beams.headWeight).not.toBe(second.cache.headWeight);
    disposeT5Cache(first.cache);
    disposeT5Cache(second.cache); // the reordered cache's head weight stays readable
    expect(await beams.headWeight!.array()).toEqual(transposed);
    const third = next(three, beams);
    expect(third.logits.shape).toEqual([3, 40]);
    disposeT5Cache(beams);
    disposeT5Cache(third.cache);
    tf.dispose([two, three, token, first.logits, second.logits, third.logits]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('gives each step the logits of full recomputation (tied), and carries no head weight for an untied head', async () => {
    for (const tieWordEmbeddings of [true, false]) {
      const model = new T5Seq2SeqLM({ ...config, tieWordEmbeddings });
      const before = tf.memory().numTensors;
      const next = model.decoderNext([[5, 6, 7, 1]]);
      const decoded = [0, 11, 12];
      const inputs = { inputIds: tf.tensor2d([[5, 6, 7, 1]], undefined, 'int32'), decoderInputIds: tf.tensor2d([decoded], undefined, 'int32') };
      const full = model.logits(inputs);
      const fullRows = (await full.array())[0]!;
      let cache = null as ReturnType<typeof next>['cache'] | null;
      for (const [t, id] of decoded.entries()) {
        const tokens = tf.tensor2d([[id]], undefined, 'int32');
        const out = next(tokens, cache);
        if (cache !== null) disposeT5Cache(cache);
        cache = out.cache;
        expect(cache.headWeight === undefined, `tied ${tieWordEmbeddings}`).toBe(!tieWordEmbeddings);
        const step = (await out.logits.array() as number[][])[0]!;
        step.forEach((x, k) => expect(Math.abs(x - fullRows[t]![k]!)).toBeLessThan(1e-5));
        tf.dispose([tokens, out.logits]);
      }
      disposeT5Cache(cache!);
      tf.dispose([full, inputs.inputIds, inputs.decoderInputIds]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });

  it('greedy and beam generation free every cache (head weights included)', async () => {
    const model = new T5Seq2SeqLM(config);
    const before = tf.memory().numTensors;
    const greedy = await model.generate([[5, 6, 7, 1]], { maxNewTokens: 6, eosTokenId: [] });
    const beams = await model.generate([[5, 6, 7, 1]], { maxNewTokens: 6, eosTokenId: [], numBeams: 3 });
    expect(greedy[0]).toHaveLength(6);
    expect(beams[0]).toHaveLength(6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
