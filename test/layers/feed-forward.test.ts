import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FeedForward } from '../../src/layers/feed-forward.js';
import { ConfigError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { expectClose } from '../helpers/fixtures.js';

describe('FeedForward', () => {
  it('computes out(act(fc(x))) on a hand-checked case', () => {
    const mlp = new FeedForward(2, 2, { activation: 'relu', seed: 1 });
    mlp.fc.weight.assign(tf.tensor2d([[1, -1], [1, 1]]));
    mlp.out.weight.assign(tf.tensor2d([[1, 0], [0, 2]]));
    mlp.out.bias!.assign(tf.tensor1d([0, 1]));
    // x = [1, 2]: fc = [3, 1] -> relu [3, 1] -> out [3, 3]; x = [2, -1]: fc = [1, -3] -> [1, 0] -> [1, 1]
    expectClose(mlp.forward(tf.tensor3d([[[1, 2], [2, -1]]]), false), [3, 3, 1, 1]);
    mlp.dispose();
  });

  it('gated: out(act(gate(x)) * fc(x)), parameters fc, gate, out', () => {
    const mlp = new FeedForward(2, 1, { activation: 'relu', gated: true, bias: false, seed: 2 });
    expect(mlp.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'gate.weight', 'out.weight']);
    mlp.fc.weight.assign(tf.tensor2d([[2], [0]]));
    mlp.gate!.weight.assign(tf.tensor2d([[0], [1]]));
    mlp.out.weight.assign(tf.tensor2d([[1, 10]]));
    // x = [3, 4]: fc = 6, relu(gate) = 4 -> 24 -> [24, 240]; x = [3, -4]: gate relu 0 -> [0, 0]
    expectClose(mlp.forward(tf.tensor2d([[3, 4], [3, -4]]), false), [24, 240, 0, 0]);
    mlp.dispose();
  });

  it('has correct input gradients (gated SiLU)', () => {
    const mlp = new FeedForward(3, 4, { activation: 'silu', gated: true, initStd: 0.7, seed: 3 });
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const { maxError } = checkGradients((a) => tf.sum(tf.square(mlp.forward(a!, false))), [x]);
    expect(maxError).toBeLessThan(3e-3);
    mlp.dispose();
  });

  it('drops hidden units only while training; leaks nothing', () => {
    const mlp = new FeedForward(4, 16, { dropout: 0.5, seed: 5, initStd: 1 });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 6);
    const a = mlp.forward(x, false);
    const b = mlp.forward(x, true);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(mlp.forward(x, true)), mlp.trainableVariables());
    })).toBe(0);
    mlp.dispose();
    tf.dispose([x, a, b]);
  });

  it('rejects an unknown activation without creating variables', () => {
    const before = tf.memory().numTensors;
    expect(() => new FeedForward(2, 4, { activation: 'elu' as 'relu', seed: 1 })).toThrow(ConfigError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
