import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from '../../src/training/adamw.js';
import { defaultWeightDecayFilter } from '../../src/training/weight-decay.js';
import { ConfigError, RangeArgumentError, ShapeError, StateDictError } from '../../src/utils/errors.js';
import fixture from '../fixtures/adamw.json' with { type: 'json' };

type Case = (typeof fixture.cases)['constantLr'];
const shapes = fixture.shapes as Record<string, number[]>;

function makeParams(initial: Record<string, number[]>): Array<[string, tf.Variable]> {
  return Object.entries(shapes).map(([name, shape]) => [name, tf.variable(tf.tensor(initial[name] as number[], shape))]);
}

function gradsOf(grads: Record<string, number[] | null>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(grads).filter((e): e is [string, number[]] => e[1] !== null)
    .map(([name, g]) => [name, tf.tensor(g, shapes[name])]));
}

function newOptimizer(params: Array<[string, tf.Variable]>, lrs: number[]): AdamW {
  return new AdamW(params, {
    learningRate: (step) => lrs[step] as number,
    beta1: fixture.beta1, beta2: fixture.beta2, epsilon: fixture.epsilon, weightDecay: fixture.weightDecay,
  });
}

/** Float32 agreement with PyTorch: 1e-6 relative, with an absolute floor of 1e-6 near zero. */
async function expectClose(actual: tf.Tensor, expected: number[], name: string): Promise<void> {
  const a = await actual.data();
  expected.forEach((e, i) => {
    const diff = Math.abs((a[i] as number) - e);
    expect(diff, `${name}[${i}]: ${a[i]} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  });
}

async function runAgainstTorch(c: Case): Promise<void> {
  const params = makeParams(c.initial);
  const opt = newOptimizer(params, c.steps.map((s) => s.lr));
  for (const [i, s] of c.steps.entries()) {
    expect(opt.step).toBe(i);
    expect(opt.currentLearningRate()).toBe(s.lr);
    const grads = gradsOf(s.grads);
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    for (const [name, p] of params) await expectClose(p, (s.params as Record<string, number[]>)[name] as number[], `step ${i} ${name}`);
  }
  expect(opt.step).toBe(c.steps.length);
  opt.dispose();
  tf.dispose(params.map(([, p]) => p));
}

describe('AdamW against torch.optim.AdamW 1.13', () => {
  it('matches with a constant learning rate, including steps where a parameter has no gradient', async () => {
    await runAgainstTorch(fixture.cases.constantLr);
  });

  it('matches with a scheduled learning rate', async () => {
    await runAgainstTorch(fixture.cases.changingLr);
  });
});

describe('AdamW behaviour', () => {
  it('decays only matrices that are not embeddings by default', () => {
    const v = (shape: number[]): tf.Variable => tf.variable(tf.zeros(shape));
    const cases: Array<[string, number[], boolean]> = [
      ['blocks.0.attn.qkv.weight', [4, 12], true],
      ['blocks.0.attn.qkv.bias', [12], false],
      ['blocks.0.ln1.weight', [4], false],
      ['wte.weight', [10, 4], false],
      ['wpe', [8, 4], false],
      ['tokenEmbedding.weight', [10, 4], false],
      ['bert.embeddings.word_embeddings.weight', [10, 4], false],
    ];
    for (const [name, shape, decays] of cases) {
      const variable = v(shape);
      expect(defaultWeightDecayFilter(name, variable), name).toBe(decays);
      variable.dispose();
    }
  });

  it('honours a custom decay predicate and skips frozen parameters', async () => {
    const w = tf.variable(tf.ones([2, 2]));
    const frozen = tf.variable(tf.ones([2, 2]), false);
    const opt = new AdamW([['w', w], ['frozen', frozen]], { learningRate: 0.1, weightDecay: 0.5, decay: () => false });
    const zero = tf.zeros([2, 2]);
    opt.applyGradients({ w: zero, frozen: zero });
    // Zero gradient and no decay: w is unchanged (m = 0, so the Adam step is 0).
    expect(Array.from(await w.data())).toEqual([1, 1, 1, 1]);
    expect(Array.from(await frozen.data())).toEqual([1, 1, 1, 1]);
    const state = await opt.getState();
    expect(Object.keys(state.slots)).toEqual(['m.w', 'v.w']);
    expect(state.scalars).toEqual({ 'step.w': 1 });
    opt.dispose();
    tf.dispose([w, frozen, zero]);
  });

  it('rejects bad hyperparameters, names, shapes and states with typed errors', () => {
    const w = tf.variable(tf.zeros([2, 3]));
    expect(() => new AdamW([['w', w]], { learningRate: -1 })).toThrow(/learningRate \(-1\)/);
    expect(() => new AdamW([['w', w]], { learningRate: 1, beta1: 1 })).toThrow(RangeArgumentError);
    expect(() => new AdamW([['w', w]], { learningRate: 1, beta2: -0.1 })).toThrow(/beta2 \(-0.1\)/);
    expect(() => new AdamW([['w', w]], { learningRate: 1, weightDecay: NaN })).toThrow(RangeArgumentError);
    expect(() => new AdamW([['w', w], ['w', w]], { learningRate: 1 })).toThrow(ConfigError);
    const bad = new AdamW([['w', w]], { learningRate: () => NaN });
    const g = tf.zeros([2, 3]);
    expect(() => bad.applyGradients({ w: g })).toThrow(/learningRate\(0\) \(NaN\)/);
    const opt = new AdamW([['w', w]], { learningRate: 1e-3 });
    expect(() => opt.applyGradients({ w: g, nope: g, other: g })).toThrow(/unknown parameters: nope, other/);
    expect(() => opt.applyGradients({ w: g, nope: g })).toThrow(StateDictError);
    const wrong = tf.zeros([3, 2]);
    expect(() => opt.applyGradients({ w: wrong })).toThrow(ShapeError);
    expect(() => opt.applyGradients({ w: wrong })).toThrow(/w: \[3,2\] vs \[2,3\]/);
    expect(opt.step).toBe(0);
    const slot = { shape: [2, 3], data: new Float32Array(6) };
    const good = { kind: 'adamw', step: 1, slots: { 'm.w': slot, 'v.w': slot }, scalars: { 'step.w': 1 } };
    expect(() => opt.setState({ ...good, step: -1 })).toThrow(RangeArgumentError);
    expect(() => opt.setState({ ...good, kind: 'sgd' })).toThrow(/cannot restore a 'sgd' state into a 'adamw' optimizer/);
    expect(() => opt.setState({ ...good, scalars: { 'step.w': 1, 'step.x': 1 } })).toThrow(/step.x: not a step of a parameter/);
    expect(() => opt.setState({ ...good, slots: { ...good.slots, 'm.x': slot } })).toThrow(/m.x: not a slot/);
    expect(() => opt.setState({ ...good, slots: { 'm.w': { shape: [5], data: new Float32Array(5) }, 'v.w': slot } }))
      .toThrow(/m.w: shape \[5\] with 5 values, expected \[2,3\]/);
    expect(() => opt.setState({ ...good, slots: { 'm.w': slot } })).toThrow(/w: missing slots v/);
    expect(() => opt.setState({ ...good, scalars: { 'step.w': 0 } })).toThrow(StateDictError);
    expect(opt.step).toBe(0);
    opt.setState(good);
    expect(opt.step).toBe(1);
    opt.dispose();
    tf.dispose([w, g, wrong]);
  });
});
