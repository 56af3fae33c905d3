import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from '../../src/training/adamw.js';
import { optimizationStep, type TrainableModel } from '../../src/training/optimization-step.js';
import { Trainer } from '../../src/training/trainer.js';
import { NonFiniteError } from '../../src/utils/errors.js';

/** loss = sum(w·x) + sqrt(s): finite until a batch makes s's gradient infinite (x = 0 → 1/(2·sqrt(0))). */
function sqrtModel() {
  const w = tf.variable(tf.tensor1d([0.5, -0.25]), true, 'anomaly_w');
  const s = tf.variable(tf.scalar(0), true, 'anomaly_s');
  const model: TrainableModel<number> = {
    namedParameters: () => [['layer.weight', w], ['layer.scale', s]],
    computeLoss: (shift) => tf.tidy(() => tf.add(tf.sum(tf.mul(w, tf.scalar(2))), tf.sqrt(tf.add(s, shift))) as tf.Scalar),
  };
  return { model, w, s, dispose: () => tf.dispose([w, s]) };
}

describe('finite-gradient checks', () => {
  it('optimizationStep names the parameter with a non-finite gradient and applies nothing', async () => {
    const { model, w, s, dispose } = sqrtModel();
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.1 });
    const good = await optimizationStep(model, optimizer, () => 1, 1, { checkFinite: true });
    tf.dispose([good.loss, good.gradNorm]);
    const before = [...(await w.data()), ...(await s.data())];
    const tensors = tf.memory().numTensors;
    await expect(optimizationStep(model, optimizer, () => -(before[2] as number), 1, { checkFinite: true }))
      .rejects.toThrowError(new NonFiniteError('the gradient of layer.scale holds NaN or infinite values; the update was not applied'));
    expect([...(await w.data()), ...(await s.data())]).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    // Without the check the same update goes through and poisons the weights.
    const bad = await optimizationStep(model, optimizer, () => -(before[2] as number), 1);
    tf.dispose([bad.loss, bad.gradNorm]);
    expect(Number.isFinite((await s.data())[0])).toBe(false);
    optimizer.dispose();
    dispose();
  });

  it('Trainer with detectAnomaly stops at the bad update with the last good weights', async () => {
    const { model, w, s, dispose } = sqrtModel();
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 0.1 });
    let step = 0;
    const snapshots: number[][] = [];
    const trainer = new Trainer<number>({
      model, optimizer, maxSteps: 10, logEvery: 1, detectAnomaly: true,
      train: { next: async () => (++step === 4 ? -(await s.data())[0]! : 1) },
      callbacks: [{ onStepEnd: async () => { snapshots.push([...(await w.data()), ...(await s.data())]); } }],
    });
    const state = await trainer.train();
    expect(state.step).toBe(3);
    expect(state.stopReason).toBe('the gradient of layer.scale holds NaN or infinite values; the update was not applied (step 4)');
    expect([...(await w.data()), ...(await s.data())]).toEqual(snapshots.at(-1));
    optimizer.dispose();
    dispose();
  });
});
