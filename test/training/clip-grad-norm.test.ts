import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from '../../src/training/adamw.js';
import { clipGradNorm } from '../../src/training/clip-grad-norm.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import fixture from '../fixtures/adamw.json' with { type: 'json' };

const shapes = fixture.shapes as Record<string, number[]>;

function tensors(values: Record<string, number[] | null>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, number[]] => e[1] !== null)
    .map(([name, g]) => [name, tf.tensor(g, shapes[name])]));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    expect(Math.abs((actual[i] as number) - e), `${what}[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  }
}

describe('clipGradNorm', () => {
  it('scales by maxNorm / (norm + 1e-6) by hand', async () => {
    const g = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0], [4]]) };
    const { grads, norm } = clipGradNorm(g, 1);
    expect(await norm.data()).toEqual(new Float32Array([5]));
    expectClose(await grads.a!.data(), [3 / (5 + 1e-6), 0], 'a');
    expectClose(await grads.b!.data(), [0, 4 / (5 + 1e-6)], 'b');
    expect(grads.b!.shape).toEqual([2, 1]);
    tf.dispose([Object.values(g), Object.values(grads), norm]);
  });

  it('leaves small gradients alone, and Infinity only measures', async () => {
    const g = { a: tf.tensor1d([0.3, 0.4]) };
    for (const maxNorm of [1, Infinity]) {
      const { grads, norm } = clipGradNorm(g, maxNorm);
      expectClose(await norm.data(), [0.5], 'norm');
      expect(Array.from(await grads.a!.data())).toEqual(Array.from(await g.a.data()));
      expect(grads.a).not.toBe(g.a);
      tf.dispose([grads.a!, norm]);
    }
    g.a.dispose();
  });

  it('gives a zero norm for no gradients', async () => {
    const { grads, norm } = clipGradNorm({}, 1);
    expect(grads).toEqual({});
    expect(await norm.data()).toEqual(new Float32Array([0]));
    norm.dispose();
  });

  for (const name of ['clipped', 'notClipped'] as const) {
    it(`matches torch clip_grad_norm_ followed by AdamW (${name})`, async () => {
      const c = fixture.cases[name];
      const params = Object.entries(shapes)
        .map(([n, shape]): [string, tf.Variable] => [n, tf.variable(tf.tensor((c.initial as Record<string, number[]>)[n] as number[], shape))]);
      const opt = new AdamW(params, {
        learningRate: c.steps[0]!.lr, beta1: fixture.beta1, beta2: fixture.beta2,
        epsilon: fixture.epsilon, weightDecay: fixture.weightDecay,
      });
      for (const [i, s] of c.steps.entries()) {
        const raw = tensors(s.grads);
        const { grads, norm } = clipGradNorm(raw, c.maxNorm);
        expectClose(await norm.data(), [s.norm], `step ${i} norm`);
        for (const [n, expected] of Object.entries(s.clippedGrads as Record<string, number[] | null>)) {
          if (expected === null) expect(grads[n]).toBeUndefined();
          else expectClose(await grads[n]!.data(), expected, `step ${i} ${n}`);
        }
        opt.applyGradients(grads);
        tf.dispose([Object.values(raw), Object.values(grads), norm]);
        for (const [n, p] of params) expectClose(await p.data(), (s.params as Record<string, number[]>)[n] as number[], `step ${i} ${n}`);
      }
      opt.dispose();
      tf.dispose(params.map(([, p]) => p));
    });
  }

  it('leaks no tensors and keeps the given gradients', () => {
    const g = { a: tf.tensor1d([3, 4]), b: tf.ones([2, 2]) };
    const before = tf.memory().numTensors;
    const { grads, norm } = clipGradNorm(g, 0.5);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([Object.values(grads), norm]);
    expect(tf.memory().numTensors).toBe(before);
    expect(g.a.isDisposed || g.b.isDisposed).toBe(false);
    tf.dispose(Object.values(g));
  });

  it('rejects a maxNorm that is not > 0', () => {
    for (const bad of [0, -1, NaN, -Infinity]) {
      expect(() => clipGradNorm({}, bad)).toThrow(RangeArgumentError);
    }
    expect(() => clipGradNorm({}, -2)).toThrow(/maxNorm \(-2\)/);
  });
});
