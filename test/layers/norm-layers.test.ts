import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LayerNorm } from '../../src/layers/layer-norm.js';
import { RMSNorm } from '../../src/layers/rms-norm.js';
import { leakedTensors, withGradients } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

const fx = readFixture<Record<'layer_norm' | 'rms_norm', Record<string, EncodedTensor> & { eps: number }>>('layers.json');

describe('LayerNorm and RMSNorm layers', () => {
  it('start as the identity affine map with PyTorch-named parameters', () => {
    const ln = new LayerNorm(2);
    const rms = new RMSNorm(2);
    expect(ln.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(rms.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect([ln.eps, rms.eps]).toEqual([1e-5, 1e-6]);
    expectClose(ln.forward(tf.tensor2d([[1, 3]])), [-1, 1], 1e-4);
    expectClose(rms.forward(tf.tensor2d([[1, -1]])), [1, -1], 1e-5);
    ln.dispose();
    rms.dispose();
  });

  it('match PyTorch after loading weights', () => {
    const f = fx.layer_norm;
    const g = fx.rms_norm;
    const ln = new LayerNorm(6, { eps: f.eps });
    const rms = new RMSNorm(6, { eps: g.eps });
    ln.loadStateDict({ weight: decode(f.weight!), bias: decode(f.bias!) });
    rms.loadStateDict({ weight: decode(g.weight!) });
    expectClose(ln.forward(decode(f.x!)), f.y!);
    expectClose(rms.forward(decode(g.x!)), g.y!);
    ln.dispose();
    rms.dispose();
  });

  it('leak nothing in training and free everything on dispose', () => {
    const before = tf.memory().numTensors;
    const ln = new LayerNorm(3);
    const rms = new RMSNorm(3);
    const x = tf.randomNormal([2, 3]);
    expect(leakedTensors(() => {
      withGradients(() => tf.sum(tf.square(rms.forward(ln.forward(x)))), [...ln.parameters(), ...rms.parameters()], (grads) => {
        expect(Object.keys(grads)).toHaveLength(3);
      });
    })).toBe(0);
    ln.dispose();
    rms.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
