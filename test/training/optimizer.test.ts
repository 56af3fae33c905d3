import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adafactor } from '../../src/training/adafactor.js';
import { Adam } from '../../src/training/adam.js';
import { AdamW } from '../../src/training/adamw.js';
import { Lion } from '../../src/training/lion.js';
import type { Optimizer, OptimizerState } from '../../src/training/optimizer.js';
import type { ParamGroup } from '../../src/training/param-groups.js';
import { SGD } from '../../src/training/sgd.js';
import { StateDictError } from '../../src/utils/errors.js';
import fixture from '../fixtures/optimizers.json' with { type: 'json' };

interface Case {
  optimizer: string;
  options: Record<string, number | boolean>;
  groups: Array<{ names: string[]; weightDecay?: number; learningRateScale?: number }>;
  initial: Record<string, number[]>;
  steps: Array<{ lr: number | null; grads: Record<string, number[] | null>; params: Record<string, number[]> }>;
}
type Params = Array<[string, tf.Variable]>;

const shapes = fixture.shapes as Record<string, number[]>;
const cases = fixture.cases as unknown as Record<string, Case>;
const CLASSES = { adam: Adam, adamw: AdamW, sgd: SGD, adafactor: Adafactor, lion: Lion } as const;

function makeParams(c: Case): Params {
  return Object.entries(shapes).map(([name, shape]) => [name, tf.variable(tf.tensor(c.initial[name] as number[], shape))]);
}

function gradsOf(grads: Record<string, number[] | null>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(grads).filter((e): e is [string, number[]] => e[1] !== null)
    .map(([name, g]) => [name, tf.tensor(g, shapes[name])]));
}

/** The optimizer a fixture case describes, with its per-step learning rates as a schedule. */
function build(c: Case, params: Params): Optimizer {
  const groups: ParamGroup[] = c.groups.map(({ names, ...rest }) => ({ match: (name) => names.includes(name), ...rest }));
  const lrs = c.steps.map((s) => s.lr);
  const learningRate = lrs[0] === null ? {} : { learningRate: (step: number) => lrs[step] as number };
  const Class = CLASSES[c.optimizer as keyof typeof CLASSES];
  return new Class(params, { ...c.options, ...learningRate, groups } as ConstructorParameters<typeof AdamW>[1]);
}

function step(opt: Optimizer, s: Case['steps'][number]): void {
  const grads = gradsOf(s.grads);
  opt.applyGradients(grads);
  tf.dispose(Object.values(grads));
}

/** Float32 agreement with the reference: 1e-6 relative, with an absolute floor of 1e-6 near zero. */
async function expectClose(actual: tf.Tensor, expected: number[], what: string): Promise<void> {
  const a = await actual.data();
  expected.forEach((e, i) => {
    expect(Math.abs((a[i] as number) - e), `${what}[${i}]: ${a[i]} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  });
}

/** A state as a checkpoint would write it: through JSON, with arrays copied back into Float32Arrays. */
function roundTrip(state: OptimizerState): OptimizerState {
  const saved = JSON.parse(JSON.stringify(state, (_, v) => (v instanceof Float32Array ? Array.from(v) : v)));
  return {
    ...saved,
    slots: Object.fromEntries(Object.entries(saved.slots as Record<string, { shape: number[]; data: number[] }>)
      .map(([k, s]) => [k, { shape: s.shape, data: Float32Array.from(s.data) }])),
  };
}

describe('optimizers against their references (torch.optim 1.13, HF Adafactor, lion-pytorch)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: ${c.optimizer} ${JSON.stringify(c.options)}${c.groups.length > 0 ? ' with groups' : ''}`, async () => {
      const params = makeParams(c);
      const opt = build(c, params);
      for (const [i, s] of c.steps.entries()) {
        expect(opt.step).toBe(i);
        if (s.lr !== null) expect(opt.currentLearningRate()).toBe(s.lr);
        step(opt, s);
        for (const [n, p] of params) await expectClose(p, s.params[n] as number[], `step ${i} ${n}`);
      }
      opt.dispose();
      tf.dispose(params.map(([, p]) => p));
    });
  }
});

/** One case per optimizer kind, the one with the most state. */
const perKind = ['adamAmsgradScheduled', 'adamwGroupsAmsgrad', 'sgdMomentumDampening', 'adafactorExternalLr', 'lion'] as const;

describe.each(perKind)('optimizer of case %s', (name) => {
  const c = cases[name] as Case;

  it('leaks no tensors, keeps the given gradients and frees its state on dispose', () => {
    const params = makeParams(c);
    const grads = gradsOf((c.steps[0] as Case['steps'][number]).grads);
    const before = tf.memory().numTensors;
    const opt = build(c, params);
    for (let i = 0; i < 3; i++) opt.applyGradients(new Map(Object.entries(grads)));
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.values(grads).every((g) => !g.isDisposed)).toBe(true);
    tf.dispose([Object.values(grads), params.map(([, p]) => p)]);
  });

  it('resumes from a saved state bit for bit as if it had never stopped', async () => {
    const straight = makeParams(c);
    const optA = build(c, straight);
    const resumed = makeParams(c);
    const optB = build(c, resumed);
    for (const s of c.steps.slice(0, 3)) {
      step(optA, s);
      step(optB, s);
    }
    const saved = roundTrip(await optB.getState());
    expect(saved.kind).toBe(c.optimizer);
    optB.dispose();
    const before = tf.memory().numTensors;
    const optC = build(c, resumed);
    optC.setState(saved);
    optC.setState(saved); // replacing a restored state frees the previous one
    expect(optC.step).toBe(3);
    for (const s of c.steps.slice(3)) {
      step(optA, s);
      step(optC, s);
    }
    for (const [i, [n, p]] of straight.entries()) {
      expect(Array.from(await (resumed[i] as [string, tf.Variable])[1].data()), n).toEqual(Array.from(await p.data()));
    }
    optC.dispose();
    expect(tf.memory().numTensors).toBe(before);
    optA.dispose();
    tf.dispose([straight.map(([, p]) => p), resumed.map(([, p]) => p)]);
  });

  it('rejects a state of another kind or with wrong slots, changing nothing', async () => {
    const params = makeParams(c);
    const opt = build(c, params);
    step(opt, c.steps[0] as Case['steps'][number]);
    const good = await opt.getState();
    const [firstSlot, firstData] = Object.entries(good.slots)[0] as [string, OptimizerState['slots'][string]];
    const bad: OptimizerState[] = [
      { ...good, kind: good.kind === 'sgd' ? 'adam' : 'sgd' },
      { ...good, slots: { ...good.slots, [firstSlot]: { shape: [7], data: new Float32Array(7) } } },
      { ...good, slots: { ...good.slots, [firstSlot]: { ...firstData, data: new Float32Array(1) } } },
      { ...good, slots: Object.fromEntries(Object.entries(good.slots).slice(1)) },
      { ...good, scalars: { ...good.scalars, 'step.nope': 1 } },
      { ...good, slots: { ...good.slots, [`${firstSlot.split('.')[0]}.nope`]: firstData } },
    ];
    for (const state of bad) expect(() => opt.setState(state), JSON.stringify(Object.keys(state.slots))).toThrow(StateDictError);
    expect(await opt.getState()).toEqual(good);
    opt.dispose();
    tf.dispose(params.map(([, p]) => p));
  });
});
