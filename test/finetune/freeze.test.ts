import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countParameters, defaultBlockIndex, freeze, freezeAllBut, freezeEmbeddings, freezeFirstBlocks, unfreeze,
} from '../../src/finetune/freeze.js';
import { selectParameters } from '../../src/finetune/parameter-selector.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { optimizationStep } from '../../src/training/optimization-step.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';
import { bitwiseEqual, sequenceBatch, snapshot } from './helpers.js';

const CONFIG = { vocabSize: 32, hiddenSize: 16, numLayers: 3, numHeads: 2, contextLength: 16, seed: 3 };
let model: GPTCausalLM | undefined;
afterEach(() => model?.dispose());

const trainableNames = (m: GPTCausalLM): string[] => m.namedParameters().filter(([, v]) => v.trainable).map(([n]) => n);

describe('selectParameters', () => {
  it('matches globs by segment, prefixes at dot boundaries, RegExps and predicates', () => {
    model = new GPTCausalLM(CONFIG);
    const names = (s: Parameters<typeof selectParameters>[1]): string[] => selectParameters(model!, s).map(([n]) => n);
    expect(names('backbone.blocks.1.attn.qkv')).toEqual(['backbone.blocks.1.attn.qkv.weight', 'backbone.blocks.1.attn.qkv.bias']);
    expect(names('backbone.blocks.*.attn.out.weight')).toEqual([0, 1, 2].map((i) => `backbone.blocks.${i}.attn.out.weight`));
    expect(names('**.mlp.fc.bias')).toHaveLength(3);
    // a prefix only at a dot boundary: blocks.1 does not select blocks.10+, "backbone.block" selects nothing
    expect(() => names('backbone.block')).toThrow(ConfigError);
    expect(names(/finalNorm/)).toEqual(['backbone.finalNorm.weight', 'backbone.finalNorm.bias']);
    const global = /qkv\.weight/g; // a global RegExp keeps lastIndex between tests: selectors must not
    expect(names(global)).toHaveLength(3);
    expect(names(global)).toHaveLength(3);
    expect(names((_, v) => v.rank === 2).every((n) => n.endsWith('weight'))).toBe(true);
  });

  it('names every selector that matches nothing', () => {
    model = new GPTCausalLM(CONFIG);
    expect(() => selectParameters(model!, ['backbone.finalNorm', 'backbone.blocks.9', /nope/])).toThrow(/backbone\.blocks\.9, \/nope\//);
  });
});

describe('freezing', () => {
  it('freeze, unfreeze, freezeAllBut, freezeEmbeddings and freezeFirstBlocks set exactly the named flags', () => {
    model = new GPTCausalLM(CONFIG);
    const all = model.namedParameters().map(([n]) => n);
    expect(freeze(model, 'backbone.blocks.0')).toHaveLength(12);
    expect(trainableNames(model)).toEqual(all.filter((n) => !n.startsWith('backbone.blocks.0.')));
    unfreeze(model, '**');
    expect(trainableNames(model)).toEqual(all);

    expect(freezeEmbeddings(model)).toEqual(['backbone.tokenEmbedding.weight', 'backbone.positionEmbedding.weight']);
    expect(freezeFirstBlocks(model, 2)).toHaveLength(24);
    expect(trainableNames(model)).toEqual(all.filter((n) => n.startsWith('backbone.blocks.2.') || n.startsWith('backbone.finalNorm')));

    expect(freezeAllBut(model, ['backbone.finalNorm'])).toEqual(['backbone.finalNorm.weight', 'backbone.finalNorm.bias']);
    expect(trainableNames(model)).toEqual(['backbone.finalNorm.weight', 'backbone.finalNorm.bias']);
  });

  it('counts total, trainable and frozen scalars exactly', () => {
    model = new GPTCausalLM(CONFIG);
    const D = 16;
    const block = 2 * D + (D * 3 * D + 3 * D) + (D * D + D) + 2 * D + (D * 4 * D + 4 * D) + (4 * D * D + D);
    const total = 32 * D + 16 * D + 3 * block + 2 * D;
    expect(countParameters(model)).toEqual({ total, trainable: total, frozen: 0 });
    expect(model.numParameters()).toBe(total);
    freezeEmbeddings(model);
    freezeFirstBlocks(model, 1);
    expect(countParameters(model)).toEqual({ total, trainable: 2 * block + 2 * D, frozen: 48 * D + block });
  });

  it('rejects a block count outside [0, blocks] and a model without embeddings', () => {
    model = new GPTCausalLM(CONFIG);
    expect(() => freezeFirstBlocks(model!, 4)).toThrow(RangeArgumentError);
    expect(() => freezeFirstBlocks(model!, -1)).toThrow(/count \(-1\)/);
    expect(freezeFirstBlocks(model, 0)).toEqual([]);
    expect(() => freezeEmbeddings(model!.backbone.finalNorm)).toThrow(ConfigError);
    expect(defaultBlockIndex('encoder.layer.11.attention.self.query.weight')).toBe(11);
    expect(defaultBlockIndex('transformer.h.2.attn.c_attn.weight')).toBe(2);
  });

  it('frozen weights stay bitwise unchanged through real optimizer steps while the rest trains', async () => {
    model = new GPTCausalLM(CONFIG);
    freezeEmbeddings(model);
    freezeFirstBlocks(model, 2);
    const before = snapshot(model.namedParameters());
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 1e-2 });
    const batch = sequenceBatch(32);
    const tensorsBefore = tf.memory().numTensors;
    for (let step = 0; step < 2; step++) {
      const { loss, gradNorm } = await optimizationStep(model, optimizer, () => batch, 1);
      tf.dispose([loss, gradNorm]);
    }
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    for (const [name, v] of model.namedParameters()) {
      const same = bitwiseEqual(before.get(name)!, v.dataSync() as Float32Array);
      expect([name, same]).toEqual([name, !v.trainable]);
    }
  });
});
