import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { recompute } from '../../src/layers/recompute.js';
import { TransformerBlock } from '../../src/layers/transformer-block.js';
import { ConfigError } from '../../src/utils/errors.js';
import { leakedTensors } from '../helpers/gradient-check.js';

afterAll(async () => { await tf.setBackend('cpu'); });

/** Loss and the gradients of `wrt` (variables by name, then the other tensors), read back. */
function lossAndGrads(loss: () => tf.Scalar, variables: tf.Variable[], tensors: tf.Tensor[] = []): number[][] {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, variables);
    const inputGrads = tensors.length > 0 ? tf.grads(() => loss())(tensors) : [];
    return [value, ...variables.map((v) => grads[v.name]!), ...inputGrads].map((t) => Array.from(t.dataSync()));
  });
}

function expectEqualArrays(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const worst = Math.max(...e.map((v, j) => Math.abs(v - actual[i]![j]!)));
    expect(worst, `array ${i}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('recompute', () => {
  it('gives the gradients of the plain function for inputs and variables, leaving no tensors', () => {
    const w = tf.variable(tf.randomNormal([3, 3], 0, 1, 'float32', 1));
    const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 2));
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 3);
    const f = (input: tf.Tensor): tf.Tensor => tf.tanh(tf.add(tf.matMul(tf.relu(tf.matMul(input, w)), w), b));
    const plain = lossAndGrads(() => tf.sum(tf.square(f(x))), [w, b], [x]);
    let checkpointed: number[][] = [];
    expect(leakedTensors(() => {
      checkpointed = lossAndGrads(() => tf.sum(tf.square(recompute(f, [x], { variables: [w, b] }))), [w, b], [x]);
    })).toBe(0);
    expectEqualArrays(checkpointed, plain, 0);
    expect(plain[1]!.some((g) => g !== 0)).toBe(true);
    tf.dispose([w, b, x]);
  });

  it('gives zeros to integer inputs and to inputs the function ignores', () => {
    const x = tf.ones([2, 2]);
    const unused = tf.ones([3]);
    const mask = tf.tensor1d([1, 0], 'int32');
    const f = (input: tf.Tensor, _u: tf.Tensor, m: tf.Tensor): tf.Tensor => tf.mul(input, tf.cast(m, 'float32'));
    const [gx, gUnused] = tf.grads((a: tf.Tensor, u: tf.Tensor) => tf.sum(recompute(f, [a, u, mask], { variables: [] })))([x, unused]);
    expect(Array.from(gx!.dataSync())).toEqual([1, 0, 1, 0]);
    expect(Array.from(gUnused!.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([x, unused, mask, gx!, gUnused!]);
  });

  it('is the plain function outside a gradient tape, and frees its intermediates', () => {
    const w = tf.variable(tf.ones([4, 4]));
    const x = tf.ones([1, 4]);
    const f = (input: tf.Tensor): tf.Tensor => tf.matMul(tf.matMul(input, w), w);
    const before = tf.memory().numTensors;
    const y = recompute(f, [x], { variables: [w] });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(y.dataSync())).toEqual([16, 16, 16, 16]);
    tf.dispose([w, x, y]);
  });
});

/** A cross-attention block with dropout, its inputs, and its loss with or without recomputation. */
function blockSetup(seed: number) {
  const block = new TransformerBlock(8, 2, 16, { crossAttention: true, causal: true, dropout: 0.3, activation: 'gelu_tanh', seed });
  const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', seed + 1);
  const context = tf.randomNormal([2, 3, 8], 0, 1, 'float32', seed + 2);
  const positionBias = tf.randomNormal([1, 2, 4, 4], 0, 1, 'float32', seed + 3);
  const attentionMask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 1, 0]], undefined, 'int32');
  const contextMask = tf.tensor2d([[1, 1, 0], [1, 1, 1]], undefined, 'int32');
  const loss = (useRecompute: boolean) => (): tf.Scalar => tf.sum(tf.square(block.forward(x, {
    training: true, context, positionBias, attentionMask, contextMask, recompute: useRecompute,
  }).output));
  const dispose = (): void => { block.dispose(); tf.dispose([x, context, positionBias, attentionMask, contextMask]); };
  return { block, inputs: [x, context, positionBias], loss, dispose };
}

/** Loss and gradients of the block, plain then recomputed, from the same dropout state. */
function plainAndRecomputed(seed: number): { plain: number[][]; checkpointed: number[][]; leaked: number; stateAfter: [unknown, unknown] } {
  const { block, inputs, loss, dispose } = blockSetup(seed);
  const start = block.getRandomState();
  const plain = lossAndGrads(loss(false), block.trainableVariables(), inputs);
  const plainState = block.getRandomState();
  block.setRandomState(start);
  let checkpointed: number[][] = [];
  const leaked = leakedTensors(() => { checkpointed = lossAndGrads(loss(true), block.trainableVariables(), inputs); });
  const stateAfter: [unknown, unknown] = [plainState, block.getRandomState()];
  dispose();
  return { plain, checkpointed, leaked, stateAfter };
}

describe('TransformerBlock with recompute', () => {
  it('replays the dropout masks: same loss and gradients (variables, input, context, position bias) on cpu', () => {
    const { plain, checkpointed, leaked, stateAfter } = plainAndRecomputed(5);
    expect(leaked).toBe(0);
    expectEqualArrays(checkpointed, plain, 1e-6);
    expect(stateAfter[1]).toEqual(stateAfter[0]); // the recomputation leaves the generators as a plain pass does
    // dropout really drew masks: a second plain pass from the advanced state differs
    const { block, inputs, loss, dispose } = blockSetup(5);
    lossAndGrads(loss(false), block.trainableVariables(), inputs);
    const again = lossAndGrads(loss(false), block.trainableVariables(), inputs);
    expect(again[0]![0]).not.toBe(plain[0]![0]);
    dispose();
  });

  it('works with nested gradients on wasm as on cpu', async () => {
    await initBackend({ backend: 'wasm' });
    const { plain, checkpointed, leaked } = plainAndRecomputed(9);
    expect(tf.getBackend()).toBe('wasm');
    expect(leaked).toBe(0);
    expectEqualArrays(checkpointed, plain, 1e-6);
    await tf.setBackend('cpu');
  });

  it('refuses caches, which only inference uses', () => {
    const block = new TransformerBlock(8, 2, 16, { causal: true, seed: 1 });
    const x = tf.ones([1, 2, 8]);
    expect(() => block.forward(x, { training: true, useCache: true, recompute: true })).toThrow(ConfigError);
    block.dispose();
    x.dispose();
  });

  it('lowers the peak memory of a training step through a stack of blocks', async () => {
    const blocks = Array.from({ length: 4 }, (_, i) => new TransformerBlock(32, 4, 128, { causal: true, seed: i + 1 }));
    const x = tf.randomNormal([4, 32, 32], 0, 1, 'float32', 1);
    const variables = blocks.flatMap((b) => b.trainableVariables());
    const peak = async (useRecompute: boolean): Promise<number> => (await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(blocks.reduce(
        (h, block) => block.forward(h, { training: true, recompute: useRecompute }).output, x))) as tf.Scalar, variables);
      tf.dispose([value, ...Object.values(grads)]);
    })).peakBytes;
    const plainPeak = await peak(false);
    const recomputePeak = await peak(true);
    expect(recomputePeak).toBeLessThan(0.8 * plainPeak);
    blocks.forEach((b) => b.dispose());
    x.dispose();
  });
});
