import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { ShapeError } from '../../src/utils/errors.js';
import { checkGradients, leakedTensors } from '../helpers/gradient-check.js';
import { decode, expectClose, readFixture, type EncodedTensor } from '../helpers/fixtures.js';

interface Fixture { logits: EncodedTensor; targets: EncodedTensor; loss: number; grad: EncodedTensor }
const fx = readFixture<{ cross_entropy: Fixture }>('layers.json').cross_entropy;

describe('crossEntropy', () => {
  it('matches a hand-computed mean over kept targets', () => {
    const logits = tf.tensor2d([[2, 0], [0, 2], [1, 1]]);
    const targets = tf.tensor1d([0, -100, 1], 'int32');
    // (log(1 + e^-2) + log 2) / 2
    expectClose(crossEntropy(logits, targets), [(Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2], 1e-6);
    tf.dispose([logits, targets]);
  });

  it('matches PyTorch loss and gradient with ignore_index', () => {
    const logits = decode(fx.logits);
    const targets = decode(fx.targets, 'int32');
    expectClose(crossEntropy(logits, targets), [fx.loss], 1e-5);
    expectClose(tf.grad((l: tf.Tensor) => crossEntropy(l, targets))(logits), fx.grad, 1e-6);
    tf.dispose([logits, targets]);
  });

  it('passes a finite-difference check through upstream ops', () => {
    const logits = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 7);
    const targets = tf.tensor2d([[3, 0, -100], [1, 2, 2]], undefined, 'int32');
    const { maxError } = checkGradients((l) => tf.mul(crossEntropy(tf.mul(l!, l!), targets), 3), [logits]);
    expect(maxError).toBeLessThan(2e-3);
    tf.dispose([logits, targets]);
  });

  it('returns 0 with zero gradient when every target is ignored', () => {
    const logits = tf.tensor2d([[1, 2], [3, 4]]);
    const targets = tf.tensor1d([-1, -1], 'int32');
    expectClose(crossEntropy(logits, targets, { ignoreIndex: -1 }), [0]);
    expectClose(tf.grad((l: tf.Tensor) => crossEntropy(l, targets, { ignoreIndex: -1 }))(logits), [0, 0, 0, 0]);
    tf.dispose([logits, targets]);
  });

  it('poisons the loss with NaN for out-of-range targets', () => {
    const logits = tf.tensor2d([[1, 2], [3, 4]]);
    for (const bad of [2, -5]) {
      const targets = tf.tensor1d([0, bad], 'int32');
      expect(Number.isNaN(crossEntropy(logits, targets).dataSync()[0])).toBe(true);
      targets.dispose();
    }
    logits.dispose();
  });

  it('rejects mismatched shapes and leaks nothing', () => {
    const logits = tf.ones([2, 3, 5]);
    const targets = tf.zeros([2, 3], 'int32');
    const wrong = tf.zeros([3, 2], 'int32');
    expect(() => crossEntropy(logits, wrong)).toThrow(ShapeError);
    expect(() => crossEntropy(logits, wrong)).toThrow(/\[3,2\]/);
    expect(leakedTensors(() => {
      crossEntropy(logits, targets).dispose();
      tf.grad((l: tf.Tensor) => crossEntropy(l, targets))(logits).dispose();
    })).toBe(0);
    tf.dispose([logits, targets, wrong]);
  });
});
