import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Module } from '../../src/layers/module.js';
import { AdamW } from '../../src/training/adamw.js';
import { trainLoop, type TrainLog } from '../../src/training/train-loop.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

/** y = x · w + b, mean squared error: small enough to reason about exactly. */
class Regression extends Module {
  readonly w = this.createParameter(() => tf.tensor2d([[0.5], [-0.25]]));
  readonly b = this.createParameter(() => tf.zeros([1]));
  computeLoss(batch: { x: number[][]; y: number[] }, _training: boolean): tf.Scalar {
    return tf.tidy(() => {
      const pred = tf.add(tf.matMul(tf.tensor2d(batch.x), this.w), this.b);
      return tf.mean(tf.square(tf.sub(tf.reshape(pred, [-1]), tf.tensor1d(batch.y)))) as tf.Scalar;
    });
  }
}

const data = [
  { x: [[1, 2]], y: [3] },
  { x: [[2, -1]], y: [1] },
  { x: [[0, 1]], y: [-1] },
  { x: [[3, 3]], y: [2] },
];

describe('trainLoop', () => {
  it('reduces the loss and reports at log intervals', async () => {
    const model = new Regression();
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.05, weightDecay: 0 });
    const logs: TrainLog[] = [];
    const all = { x: data.flatMap((d) => d.x), y: data.flatMap((d) => d.y) };
    await trainLoop(model, { optimizer, steps: 60, logEvery: 20, nextBatch: () => all, tokensInBatch: () => 4, onLog: (l) => { logs.push(l); } });
    expect(logs.map((l) => l.step)).toEqual([20, 40, 60]);
    expect(logs[2]!.loss).toBeLessThan(logs[0]!.loss);
    expect(logs[0]!.tokensPerSecond).toBeGreaterThan(0);
    expect(logs[0]!.gradNorm).toBeGreaterThan(0);
    model.dispose();
    optimizer.dispose();
  });

  it('averages accumulated micro-batch gradients exactly like one big batch', async () => {
    const big = new Regression();
    const micro = new Regression();
    const optBig = new AdamW(big.namedParameters(), { learningRate: 0.1 });
    const optMicro = new AdamW(micro.namedParameters(), { learningRate: 0.1 });
    const halves = [{ x: [...data[0]!.x, ...data[1]!.x], y: [3, 1] }, { x: [...data[2]!.x, ...data[3]!.x], y: [-1, 2] }];
    const all = { x: data.flatMap((d) => d.x), y: data.flatMap((d) => d.y) };
    await trainLoop(big, { optimizer: optBig, steps: 3, nextBatch: () => all });
    await trainLoop(micro, { optimizer: optMicro, steps: 3, gradientAccumulationSteps: 2, nextBatch: (_, m) => halves[m]! });
    const a = await big.w.data();
    const b = await micro.w.data();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
    big.dispose(); micro.dispose(); optBig.dispose(); optMicro.dispose();
  });

  it('clips the global gradient norm before the update', async () => {
    const model = new Regression();
    // With epsilon 1 and lr 1, AdamW's first update is g / (|g| + 1) elementwise: ~g for tiny g,
    // so the size of the update shows the size of the (clipped) gradient.
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 1, epsilon: 1, weightDecay: 0 });
    const before = [...(await model.w.data()), ...(await model.b.data())];
    const [log] = await trainLoop(model, { optimizer, steps: 1, maxGradNorm: 1e-3, nextBatch: () => data[3]! });
    // the reported norm is the one before clipping: d/dw (x·w + b - y)^2 = 2 (0.75 - 2) [3, 3], d/db = 2 (0.75 - 2)
    expect(log!.gradNorm).toBeCloseTo(Math.hypot(-7.5, -7.5, -2.5), 4);
    const after = [...(await model.w.data()), ...(await model.b.data())];
    const step = Math.hypot(...after.map((a, i) => a - before[i]!));
    expect(step).toBeGreaterThan(0.99e-3);
    expect(step).toBeLessThan(1.001e-3);
    model.dispose();
    optimizer.dispose();
  });

  it('leaks no tensors', async () => {
    const model = new Regression();
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.01 });
    await trainLoop(model, { optimizer, steps: 1, nextBatch: () => data[0]! }); // creates optimizer slots
    const before = tf.memory().numTensors;
    await trainLoop(model, { optimizer, steps: 5, logEvery: 2, maxGradNorm: 1, gradientAccumulationSteps: 2, nextBatch: (s, m) => data[(s + m) % 4]! });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    optimizer.dispose();
  });

  it('rejects bad options, naming the value', async () => {
    const model = new Regression();
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.01 });
    await expect(trainLoop(model, { optimizer, steps: -1, nextBatch: () => data[0]! })).rejects.toThrowError(/steps \(-1\)/);
    await expect(trainLoop(model, { optimizer, steps: 1, gradientAccumulationSteps: 0, nextBatch: () => data[0]! })).rejects.toThrowError(RangeArgumentError);
    await expect(trainLoop(model, { optimizer, steps: 1, maxGradNorm: 0, nextBatch: () => data[0]! })).rejects.toThrowError(/maxGradNorm \(0\)/);
    model.dispose();
    optimizer.dispose();
  });
});
