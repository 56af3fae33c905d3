import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DomainConditionedLM, type DomainCausalLMBatch } from '../../src/finetune/domain-conditioned-lm.js';
import { DomainEmbedding } from '../../src/finetune/domain-embedding.js';
import { countParameters } from '../../src/finetune/freeze.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { optimizationStep } from '../../src/training/optimization-step.js';
import { RangeArgumentError, ShapeError } from '../../src/utils/errors.js';
import { bitwiseEqual, maxAbsDiff, snapshot } from './helpers.js';

const CONFIG = { vocabSize: 16, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8, seed: 11 };

/** The same inputs in both domains; domain d's label is the input + 1 + d (mod 16): only the domain tells them apart. */
function twoDomainBatch(): DomainCausalLMBatch {
  const T = 6;
  const inputIds = new Int32Array(4 * T);
  const labels = new Int32Array(4 * T);
  const domainIds = Int32Array.from([0, 1, 0, 1]);
  for (let b = 0; b < 4; b++) {
    for (let t = 0; t < T; t++) {
      const x = (Math.floor(b / 2) * 5 + t * 2) % 16;
      inputIds[b * T + t] = x;
      labels[b * T + t] = (x + 1 + 4 * domainIds[b]!) % 16;
    }
  }
  return { batchSize: 4, seqLength: T, inputIds, labels, domainIds };
}

describe('DomainEmbedding', () => {
  it('trains alone (model frozen), separates the domains, leaves the model bitwise unchanged', async () => {
    const model = new GPTCausalLM(CONFIG);
    const domains = new DomainEmbedding(2, 16);
    const conditioned = new DomainConditionedLM(model, domains);
    model.setTrainable(false);
    expect(countParameters(conditioned)).toEqual({ total: model.numParameters() + 32, trainable: 32, frozen: model.numParameters() });
    const frozen = snapshot(model.namedParameters());
    const ids = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const plain = model.logits(ids, { training: false });
    const zeroConditioned = conditioned.logits(ids, [1], { training: false });
    expect(maxAbsDiff(plain, zeroConditioned)).toBe(0); // rows start at zero: nothing changes until trained

    const batch = twoDomainBatch();
    const optimizer = new AdamW(conditioned.namedParameters(), { learningRate: 0.1, weightDecay: 0 });
    const tensors = tf.memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 12; step++) {
      const { loss, gradNorm } = await optimizationStep(conditioned, optimizer, () => batch, 1);
      losses.push((await loss.data())[0]!);
      tf.dispose([loss, gradNorm]);
    }
    expect(losses[11]).toBeLessThan(losses[0]! - 0.05); // a frozen random model: the domain vectors alone move it a little
    for (const [name, v] of model.namedParameters()) expect([name, bitwiseEqual(frozen.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, true]);
    const [d0, d1] = [0, 1].map((d) => conditioned.logits(ids, [d], { training: false }));
    expect(maxAbsDiff(d0!, d1!)).toBeGreaterThan(0.1);
    tf.dispose([d0, d1]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([ids, plain, zeroConditioned]);
    model.dispose();
    domains.dispose();
  });

  it('generates conditioned on each row\'s domain, as greedy decoding over the conditioned logits', async () => {
    const model = new GPTCausalLM(CONFIG);
    const domains = new DomainEmbedding(2, 16, { initStd: 1, seed: 5 });
    const conditioned = new DomainConditionedLM(model, domains);
    const prompt = [3, 7, 1];
    const before = tf.memory().numTensors;
    const generated = await conditioned.generate([prompt, prompt], [0, 1], { maxNewTokens: 10 }); // past the context of 8: crop and re-encode
    expect(tf.memory().numTensors).toBe(before);
    for (const [row, domain] of [0, 1].entries()) {
      const sequence = [...prompt];
      for (let step = 0; step < 10; step++) {
        const window = sequence.slice(-CONFIG.contextLength);
        const ids = tf.tensor2d([window], undefined, 'int32');
        const best = tf.tidy(() => tf.argMax(tf.squeeze(tf.slice(conditioned.logits(ids, [domain], { training: false }), [0, window.length - 1, 0], [1, 1, -1])), -1));
        const next = (await best.data())[0]!;
        tf.dispose([ids, best]);
        sequence.push(next);
      }
      expect(generated[row]).toEqual(sequence.slice(prompt.length));
    }
    expect(generated[0]).not.toEqual(generated[1]); // the domain vectors (std 1) change the continuation
    await expect(conditioned.generate([prompt], [0, 1], { maxNewTokens: 2 })).rejects.toThrowError(/2 labels for 1 prompt rows/);
    await expect(conditioned.generate([prompt], [0], { maxNewTokens: 2, numBeams: 2 })).rejects.toThrowError(RangeArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    domains.dispose();
  });

  it('trains together with the model when the model is left trainable', async () => {
    const model = new GPTCausalLM(CONFIG);
    const domains = new DomainEmbedding(2, 16, { initStd: 0.02, seed: 3 });
    const conditioned = new DomainConditionedLM(model, domains);
    expect(countParameters(conditioned).trainable).toBe(model.numParameters() + 32);
    const before = snapshot(conditioned.namedParameters());
    const optimizer = new AdamW(conditioned.namedParameters(), { learningRate: 1e-2 });
    const { loss, gradNorm } = await optimizationStep(conditioned, optimizer, twoDomainBatch, 1);
    tf.dispose([loss, gradNorm]);
    for (const [name, v] of conditioned.namedParameters()) expect([name, bitwiseEqual(before.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, false]);
    optimizer.dispose();
    model.dispose();
    domains.dispose();
  });

  it('rejects bad labels and label counts with typed errors', () => {
    const model = new GPTCausalLM(CONFIG);
    const domains = new DomainEmbedding(2, 16);
    const conditioned = new DomainConditionedLM(model, domains);
    expect(() => domains.forward([0, 2])).toThrow(/domainIds\[1\] is 2, outside \[0, 2\)/);
    expect(() => domains.forward([])).toThrow(ShapeError);
    const ids = tf.tensor2d([[1, 2]], undefined, 'int32');
    expect(() => conditioned.logits(ids, [0, 1], { training: false })).toThrow(/2 labels for 1 rows/);
    expect(() => conditioned.computeLoss({ ...twoDomainBatch(), domainIds: Int32Array.from([0, 1, 0, 5]) }, false)).toThrow(RangeArgumentError);
    expect(() => model.logits(ids, { training: false, inputEmbeddingOffset: tf.zeros([1, 1, 8]) })).toThrow(/inputEmbeddingOffset \[1,1,8\] must be \[1, 1 or 2, 16\]/);
    expect(() => new DomainEmbedding(2, 16, { initStd: -1 })).toThrow(RangeArgumentError);
    ids.dispose();
    model.dispose();
    domains.dispose();
  });
});
