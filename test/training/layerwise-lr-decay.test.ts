import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { defaultLayerOf, layerwiseLrDecayGroups } from '../../src/training/layerwise-lr-decay.js';
import { optimizationStep } from '../../src/training/optimization-step.js';
import { resolveParamGroups } from '../../src/training/param-groups.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

const CONFIG = { vocabSize: 32, hiddenSize: 16, numLayers: 2, numHeads: 2, contextLength: 16, seed: 5 };

describe('layerwiseLrDecayGroups', () => {
  it('assigns decay^(L + 1 - layer) per layer and the new-parameter factor', () => {
    const model = new GPTCausalLM(CONFIG);
    const params = model.namedParameters();
    const groups = layerwiseLrDecayGroups(params, {
      decay: 0.5, numLayers: 2, newParameters: (name) => name.startsWith('backbone.finalNorm'), newParametersLearningRateScale: 10,
    });
    const scales = resolveParamGroups(params, 0.1, groups);
    expect(scales.get('backbone.tokenEmbedding.weight')).toEqual({ learningRateScale: 0.125, weightDecay: 0 });
    expect(scales.get('backbone.positionEmbedding.weight')?.learningRateScale).toBe(0.125);
    expect(scales.get('backbone.blocks.0.attn.qkv.weight')).toEqual({ learningRateScale: 0.25, weightDecay: 0.1 });
    expect(scales.get('backbone.blocks.1.mlp.out.bias')).toEqual({ learningRateScale: 0.5, weightDecay: 0 });
    expect(scales.get('backbone.finalNorm.weight')?.learningRateScale).toBe(10);
    expect(groups.map((g) => g.learningRateScale).sort()).toEqual([0.125, 0.25, 0.5, 10]);
    expect(defaultLayerOf('classifier.weight', 12)).toBe(13);
    expect(defaultLayerOf('bert.encoder.layer.11.output.dense.weight', 12)).toBe(12);
    expect(defaultLayerOf('bert.embeddings.word_embeddings.weight', 12)).toBe(0);
    model.dispose();
  });

  it('drives real AdamW steps: the first update of each parameter is lr x its factor', async () => {
    const model = new GPTCausalLM(CONFIG);
    const lr = 1e-3;
    const groups = layerwiseLrDecayGroups(model.namedParameters(), { decay: 0.5, numLayers: 2 });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: lr, weightDecay: 0, epsilon: 1e-12, groups });
    const watched = ['backbone.tokenEmbedding.weight', 'backbone.blocks.0.mlp.fc.weight', 'backbone.blocks.1.mlp.fc.weight', 'backbone.finalNorm.weight'];
    const before = new Map(model.namedParameters().filter(([n]) => watched.includes(n)).map(([n, v]) => [n, tf.clone(v)]));
    const batch = { batchSize: 1, seqLength: 4, inputIds: Int32Array.from([1, 2, 3, 4]), labels: Int32Array.from([2, 3, 4, 5]) };
    const tensors = tf.memory().numTensors;
    const { loss, gradNorm } = await optimizationStep(model, optimizer, () => batch, 1);
    tf.dispose([loss, gradNorm]);
    const largestStep = (name: string): number => tf.tidy(() => {
      const v = model.namedParameters().find(([n]) => n === name)![1];
      return tf.max(tf.abs(tf.sub(v, before.get(name)!))).dataSync()[0] as number;
    });
    // Adam's first step moves each parameter with a gradient by lr·scale (m̂/√v̂ = ±1)
    expect(largestStep('backbone.tokenEmbedding.weight') / (lr * 0.125)).toBeCloseTo(1, 3);
    expect(largestStep('backbone.blocks.0.mlp.fc.weight') / (lr * 0.25)).toBeCloseTo(1, 3);
    expect(largestStep('backbone.blocks.1.mlp.fc.weight') / (lr * 0.5)).toBeCloseTo(1, 3);
    expect(largestStep('backbone.finalNorm.weight') / (lr * 1)).toBeCloseTo(1, 3);
    tf.dispose([...before.values()]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(tensors - before.size); // the optimizer's slots are freed, nothing leaked
    model.dispose();
  });

  it('rejects bad decay, layer counts, factors and layer ids', () => {
    const params: Array<[string, tf.Variable]> = [];
    expect(() => layerwiseLrDecayGroups(params, { decay: 0, numLayers: 2 })).toThrow(RangeArgumentError);
    expect(() => layerwiseLrDecayGroups(params, { decay: 1.5, numLayers: 2 })).toThrow(/decay \(1\.5\)/);
    expect(() => layerwiseLrDecayGroups(params, { decay: 0.9, numLayers: -1 })).toThrow(/numLayers/);
    expect(() => layerwiseLrDecayGroups(params, { decay: 0.9, numLayers: 2, newParametersLearningRateScale: -1 })).toThrow(RangeArgumentError);
    const w = tf.variable(tf.zeros([2]));
    expect(() => layerwiseLrDecayGroups([['w', w]], { decay: 0.9, numLayers: 2, layerOf: () => 4 })).toThrow(/layerOf\('w'\) returned 4, outside \[0, 3\]/);
    w.dispose();
  });
});
