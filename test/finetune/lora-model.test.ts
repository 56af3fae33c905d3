import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countParameters, freeze, unfreeze } from '../../src/finetune/freeze.js';
import { LoRAModel } from '../../src/finetune/lora-model.js';
import { loadPeftAdapter, savePeftAdapter } from '../../src/finetune/peft-adapter-file.js';
import { loadSafetensors } from '../../src/io/safetensors-file.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { gpt2WeightNames } from '../../src/models/gpt/gpt-hf-weights.js';
import { AdamW } from '../../src/training/adamw.js';
import { optimizationStep } from '../../src/training/optimization-step.js';
import { ConfigError, RangeArgumentError, StateDictError } from '../../src/utils/errors.js';
import { bitwiseEqual, HF_TINY_GPT2, maxAbsDiff, sequenceBatch, snapshot } from './helpers.js';

const INPUT = [[5, 17, 200, 3, 99, 42, 7, 1]];
let base: GPTCausalLM;
let lora: LoRAModel<GPTCausalLM>;
let dir: string;
beforeEach(async () => {
  base = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
  lora = new LoRAModel(base);
  dir = mkdtempSync(join(tmpdir(), 'wordforge-lora-'));
});
afterEach(() => {
  lora.dispose();
  base.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const logitsOf = (model: GPTCausalLM): tf.Tensor => tf.tidy(() => model.logits(tf.tensor2d(INPUT, undefined, 'int32'), { training: false }));
/** Largest difference between the model's logits now and `reference` (freeing the new logits). */
const logitsDiff = (model: GPTCausalLM, reference: tf.Tensor): number => {
  const now = logitsOf(model);
  try {
    return maxAbsDiff(now, reference);
  } finally {
    now.dispose();
  }
};
const names = { huggingFaceNames: gpt2WeightNames(2) };

async function train(model: LoRAModel<GPTCausalLM>, steps: number): Promise<number[]> {
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 2e-2, weightDecay: 0 });
  const batch = sequenceBatch(320, 2, 8, 5);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { loss, gradNorm } = await optimizationStep(model, optimizer, () => batch, 1);
    losses.push((await loss.data())[0] as number);
    tf.dispose([loss, gradNorm]);
  }
  optimizer.dispose();
  return losses;
}

describe('LoRAModel on the hf-tiny GPT-2 checkpoint', () => {
  it('trains only the adapter: loss falls, base weights bitwise unchanged, merge = base + adapter', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const baseNames = base.namedParameters().map(([n]) => n);
    const original = snapshot(base.namedParameters());
    const baseLogits = logitsOf(base);
    lora.addAdapter('default', { rank: 4, alpha: 8, seed: 1 });
    // exact counts: r·(in + out) per adapted Linear, 4 Linears per block, 2 blocks
    const perBlock = 4 * ((64 + 192) + (64 + 64) + (64 + 256) + (256 + 64));
    expect(countParameters(lora)).toEqual({ total: base.numParameters() + 2 * perBlock, trainable: 2 * perBlock, frozen: base.numParameters() });
    expect(base.stateDict()).toSatisfy((s: object) => Object.keys(s).join() === baseNames.join()); // base names untouched
    expect(logitsDiff(base, baseLogits)).toBe(0); // B starts at zero

    const losses = await train(lora, 6);
    expect(losses[5]).toBeLessThan(losses[0]! * 0.8);
    for (const [name, v] of base.namedParameters()) expect([name, bitwiseEqual(original.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, true]);
    const loraB = lora.namedParameters().filter(([n]) => n.includes('.loraB.'));
    expect(loraB).toHaveLength(8);
    for (const [name, v] of loraB) expect([name, tf.tidy(() => tf.max(tf.abs(v)).dataSync()[0]) as number > 0]).toEqual([name, true]);

    const adapted = logitsOf(base);
    expect(maxAbsDiff(adapted, baseLogits)).toBeGreaterThan(1e-3);
    lora.disableAdapters();
    expect(logitsDiff(base, baseLogits)).toBe(0);
    lora.enableAdapters();
    lora.merge();
    expect(lora.mergedAdapter).toBe('default');
    expect(logitsDiff(base, adapted)).toBeLessThan(1e-5);
    expect(() => lora.merge()).toThrow(ConfigError);
    expect(() => lora.computeLoss(sequenceBatch(320), true)).toThrow(/unmerge/);
    lora.unmerge();
    expect(logitsDiff(base, adapted)).toBeLessThan(1e-5);
    for (const [name, v] of base.namedParameters()) {
      const before = tf.tensor(original.get(name)!, v.shape);
      expect([name, maxAbsDiff(v, before) < 1e-6]).toEqual([name, true]);
      before.dispose();
    }
    tf.dispose([baseLogits, adapted]);
    lora.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(base.namedParameters().every(([, v]) => !v.trainable)).toBe(true);
  });

  it('saves PEFT files (keys, layouts, config) that reload to the same logits', async () => {
    lora.addAdapter('default', { rank: 2, alpha: 6, dropout: 0.1, targetModules: ['attn.qkv', 'mlp.fc'], seed: 2 });
    await train(lora, 2);
    const adapted = logitsOf(base);
    const tensorsBefore = tf.memory().numTensors;
    await savePeftAdapter(lora, dir, { ...names, fanInFanOut: true, baseModelNameOrPath: 'hf-tiny/gpt2' });
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 2, lora_alpha: 6, lora_dropout: 0.1, fan_in_fan_out: true, bias: 'none',
      base_model_name_or_path: 'hf-tiny/gpt2',
      target_modules: ['transformer.h.0.attn.c_attn', 'transformer.h.0.mlp.c_fc', 'transformer.h.1.attn.c_attn', 'transformer.h.1.mlp.c_fc'],
    });
    const { tensors } = await loadSafetensors(join(dir, 'adapter_model.safetensors'));
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight': [2, 64],
      'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight': [192, 2],
      'base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight': [2, 64],
      'base_model.model.transformer.h.0.mlp.c_fc.lora_B.weight': [256, 2],
      'base_model.model.transformer.h.1.attn.c_attn.lora_A.weight': [2, 64],
      'base_model.model.transformer.h.1.attn.c_attn.lora_B.weight': [192, 2],
      'base_model.model.transformer.h.1.mlp.c_fc.lora_A.weight': [2, 64],
      'base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight': [256, 2],
    });
    const layer = lora.adapter('default').layers.get('backbone.blocks.1.mlp.fc')!;
    expect(maxAbsDiff(tensors['base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight']!, tf.transpose(layer.loraB))).toBe(0);
    tf.dispose(Object.values(tensors));

    const freshBase = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
    const fresh = new LoRAModel(freshBase);
    try {
      const loaded = await loadPeftAdapter(fresh, dir, { ...names, adapterName: 'poems' });
      expect(fresh.activeAdapter).toBe('poems');
      expect(loaded.config).toMatchObject({ rank: 2, alpha: 6, dropout: 0.1 });
      expect([...loaded.layers.keys()]).toEqual(['backbone.blocks.0.attn.qkv', 'backbone.blocks.0.mlp.fc', 'backbone.blocks.1.attn.qkv', 'backbone.blocks.1.mlp.fc']);
      const reloaded = logitsOf(freshBase);
      expect(maxAbsDiff(reloaded, adapted)).toBe(0);
      reloaded.dispose();
    } finally {
      fresh.dispose();
      freshBase.dispose();
      adapted.dispose();
    }
  });

  it('keeps several adapters on one base: switching, training only the active one, deleting', async () => {
    lora.addAdapter('a', { rank: 2, seed: 1 });
    const unfrozen = unfreeze(lora, 'backbone.finalNorm'); // e.g. a head trained with the adapters
    lora.addAdapter('b', { rank: 2, targetModules: [/attn\.qkv$/], seed: 2 });
    expect(unfrozen.every((name) => lora.namedParameters().find(([n]) => n === name)![1].trainable)).toBe(true); // kept
    freeze(lora, unfrozen);
    expect(lora.adapterNames).toEqual(['a', 'b']);
    expect(lora.activeAdapter).toBe('a');
    const b = lora.adapter('b');
    expect(b.layers.size).toBe(2);
    expect(countParameters(lora).trainable).toBe(2 * 2 * ((64 + 192) + (64 + 64) + (64 + 256) + (256 + 64)));
    const bBefore = snapshot(lora.namedParameters().filter(([n]) => n.endsWith('.b')));
    await train(lora, 2);
    const afterA = logitsOf(base);
    for (const [name, v] of lora.namedParameters().filter(([n]) => n.endsWith('.b'))) {
      expect([name, bitwiseEqual(bBefore.get(name)!, v.dataSync() as Float32Array)]).toEqual([name, true]);
    }
    lora.setAdapter('b');
    expect(countParameters(lora).trainable).toBe(2 * 2 * (64 + 192));
    await train(lora, 2);
    const afterB = logitsOf(base);
    expect(maxAbsDiff(afterA, afterB)).toBeGreaterThan(1e-4);
    lora.setAdapter('a');
    expect(logitsDiff(base, afterA)).toBe(0);
    lora.deleteAdapter('a');
    expect(lora.activeAdapter).toBe('b');
    expect(logitsDiff(base, afterB)).toBe(0);
    expect(base.backbone.blocks[0]!.mlp.fc.adapter).toBeUndefined(); // only b's hooks remain
    expect(base.backbone.blocks[0]!.attn.qkv!.adapter).toBeDefined();
    tf.dispose([afterA, afterB]);
  });

  it('LoRA dropout is on only when training', () => {
    lora.addAdapter('default', { rank: 4, dropout: 0.5, seed: 3 });
    tf.tidy(() => lora.adapter('default').layers.forEach((l) => l.loraB.assign(tf.onesLike(l.loraB))));
    const batch = sequenceBatch(320);
    const [evalA, evalB, trainA] = [false, false, true].map((training) => lora.computeLoss(batch, training));
    expect(maxAbsDiff(evalA!, evalB!)).toBe(0);
    expect(maxAbsDiff(evalA!, trainA!)).toBeGreaterThan(1e-4);
    tf.dispose([evalA, evalB, trainA]);
  });

  it('mergeAndUnload leaves a plain base with the adapted weights', async () => {
    lora.addAdapter('default', { rank: 2, seed: 4 });
    await train(lora, 1);
    const adapted = logitsOf(base);
    expect(lora.mergeAndUnload()).toBe(base);
    expect(lora.adapterNames).toEqual([]);
    expect(base.backbone.blocks[1]!.mlp.out.adapter).toBeUndefined();
    expect(logitsDiff(base, adapted)).toBeLessThan(1e-5);
    adapted.dispose();
  });

  it('rejects bad names, ranks, targets and states with typed errors', () => {
    expect(() => lora.addAdapter('x', { rank: 0 })).toThrow(RangeArgumentError);
    expect(() => lora.addAdapter('x', { targetModules: ['attn.nope'] })).toThrow(/attn\.nope match no Linear/);
    expect(() => lora.addAdapter('a.b')).toThrow(ConfigError);
    expect(() => lora.merge()).toThrow(/no adapter to merge/);
    expect(() => lora.unmerge()).toThrow(/no adapter is merged/);
    lora.addAdapter('x', { rank: 1 });
    expect(() => lora.addAdapter('x')).toThrow(/already exists/);
    expect(() => lora.setAdapter('y')).toThrow(/no adapter named "y" \(adapters: "x"\)/);
    expect(() => new LoRAModel(base).addAdapter('z')).toThrow(/already has an adapter hook/);
  });

  it('rejects adapter files whose keys or shapes do not match the base, creating nothing', async () => {
    lora.addAdapter('default', { rank: 2, targetModules: ['attn.qkv'], seed: 5 });
    await savePeftAdapter(lora, dir, names);
    const other = await GPTCausalLM.fromHuggingFace(HF_TINY_GPT2);
    const wrong = new LoRAModel(other);
    try {
      await expect(loadPeftAdapter(wrong, dir, { huggingFaceNames: gpt2WeightNames(1) })).rejects.toThrow(/unexpected key base_model\.model\.transformer\.h\.1\.attn\.c_attn\.lora_A\.weight/);
      const swapped = new Map([...gpt2WeightNames(2)].map(([hf, ours]) => [hf, ours.replace('attn.qkv', 'mlp.fc')]));
      await expect(loadPeftAdapter(wrong, dir, { huggingFaceNames: swapped })).rejects.toThrow(StateDictError);
      await expect(loadPeftAdapter(wrong, dir, { huggingFaceNames: swapped })).rejects.toThrow(/lora_B\.weight: shape \[192,2\] does not match \[out, r\] = \[256, 2\]/);
      await expect(loadPeftAdapter(wrong, join(dir, 'missing'), names)).rejects.toThrow(ConfigError);
      expect(wrong.adapterNames).toEqual([]);
    } finally {
      wrong.dispose();
      other.dispose();
    }
  });
});
