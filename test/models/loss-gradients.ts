import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Module } from '../../src/layers/module.js';

/** A model the gradient-checkpointing tests train: a Module with a loss. */
export interface LossModel<B> extends Module {
  computeLoss(batch: B, training: boolean): tf.Scalar;
}

/** The training loss and every variable's gradient, in parameter order, read back. */
export function lossAndGradients<B>(model: LossModel<B>, batch: B): number[][] {
  return tf.tidy(() => {
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => model.computeLoss(batch, true), variables);
    return [value, ...variables.map((v) => grads[v.name]!)].map((t) => Array.from(t.dataSync()));
  });
}

/** Largest absolute difference between two results of {@link lossAndGradients} (of the same shapes). */
export function worstDifference(a: number[][], b: number[][]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - b[i]![j]!)); }));
  return worst;
}
