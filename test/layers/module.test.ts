import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Module } from '../../src/layers/module.js';
import { StateDictError } from '../../src/utils/errors.js';

class Leaf extends Module {
  readonly weight = this.createParameter(() => tf.ones([2, 3]));
  readonly bias = this.createParameter(() => tf.zeros([3]));
  readonly table = tf.range(0, 4); // buffer: owned, not a parameter
}
class Tree extends Module {
  readonly embed = new Leaf();
  readonly blocks = [new Leaf(), new Leaf()];
  readonly head: Leaf = this.embed; // tied
}

describe('Module', () => {
  it('names parameters by attribute path, tied weights once', () => {
    const t = new Tree();
    expect(t.namedParameters().map(([n]) => n)).toEqual([
      'embed.weight', 'embed.bias', 'blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias',
    ]);
    expect(t.numParameters()).toBe(3 * 9);
    t.dispose();
  });

  it('freezes and unfreezes', () => {
    const t = new Tree();
    t.blocks[0]!.setTrainable(false);
    expect(t.trainableVariables()).toHaveLength(4);
    t.setTrainable(true);
    expect(t.trainableVariables()).toHaveLength(6);
    t.dispose();
  });

  it('loads a state dict and reports every problem before assigning anything', () => {
    const a = new Tree();
    const b = new Tree();
    tf.tidy(() => a.blocks[1]!.weight.assign(tf.fill([2, 3], 7)));
    b.loadStateDict(a.stateDict());
    expect(b.blocks[1]!.weight.arraySync()).toEqual([[7, 7, 7], [7, 7, 7]]);
    const bad = { ...a.stateDict(), extra: tf.zeros([1]), 'embed.bias': tf.zeros([4]) };
    delete (bad as Record<string, tf.Tensor>)['blocks.0.bias'];
    tf.tidy(() => b.blocks[1]!.weight.assign(tf.fill([2, 3], 1)));
    expect(() => b.loadStateDict(bad)).toThrowError(StateDictError);
    expect(() => b.loadStateDict(bad)).toThrowError(/missing keys: blocks\.0\.bias.*unexpected keys: extra.*embed\.bias: shape \[4\]/);
    expect(b.blocks[1]!.weight.arraySync()).toEqual([[1, 1, 1], [1, 1, 1]]);
    bad.extra!.dispose();
    bad['embed.bias']!.dispose();
    a.dispose();
    b.dispose();
  });

  it('disposes everything it owns', () => {
    const before = tf.memory().numTensors;
    const t = new Tree();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Module weights files', () => {
  it('saves and loads safetensors bit for bit, refusing mismatches without leaking', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-module-'));
    const a = new Tree();
    tf.tidy(() => a.blocks[1]!.weight.assign(tf.tensor2d([[-0, 1e-30, NaN], [Infinity, -2.5, 3]])));
    await a.saveWeights(join(dir, 'w.safetensors'), { note: 'x' });
    const b = new Tree();
    const before = tf.memory().numTensors;
    await b.loadWeights(join(dir, 'w.safetensors'));
    expect(tf.memory().numTensors).toBe(before);
    const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data() as Float32Array).buffer));
    expect(await bits(b.blocks[1]!.weight)).toEqual(await bits(a.blocks[1]!.weight));
    class Other extends Module { readonly weight = this.createParameter(() => tf.ones([5])); }
    const other = new Other();
    const beforeOther = tf.memory().numTensors;
    await expect(other.loadWeights(join(dir, 'w.safetensors'))).rejects.toThrowError(StateDictError);
    expect(tf.memory().numTensors).toBe(beforeOther);
    [a, b, other].forEach((m) => m.dispose());
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Module random state', () => {
  it('collects and restores the generator states of stateful sub-modules by path', async () => {
    const { Dropout } = await import('../../src/layers/dropout.js');
    class Net extends Module {
      readonly drop = new Dropout(0.5, { seed: 1 });
      readonly blocks = [new Dropout(0.5, { seed: 2 })];
    }
    const net = new Net();
    const saved = net.getRandomState();
    expect(Object.keys(saved)).toEqual(['drop', 'blocks.0']);
    const first = net.drop.nextOptions(true).seed;
    net.setRandomState(saved);
    expect(net.drop.nextOptions(true).seed).toBe(first);
    expect(() => net.setRandomState({ drop: saved.drop })).toThrowError(StateDictError);
    net.dispose();
  });
});
