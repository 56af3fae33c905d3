import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  meanCrossEntropy, softmaxCrossEntropyGradInto, softmaxRowsInto,
} from '../../src/backend/fused/softmax-cross-entropy-kernels.js';
import { FUSED_KERNEL_NAMES, FUSED_OP_NAMES, registerFusedKernels, unregisterFusedKernels } from '../../src/backend/fused/index.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { FUSED_BACKENDS, expectFusedMatchesComposite, expectFusedRun } from './fused-parity.js';

describe('softmax cross-entropy loops', () => {
  it('computes a hand-checked loss: log(1 + e^-2) for the kept row, the ignored row skipped', () => {
    const logits = Float32Array.of(2, 0, 0, 2);
    const probs = new Float32Array(4);
    softmaxRowsInto(logits, 2, probs);
    expect(meanCrossEntropy(logits, probs, Int32Array.of(0, -100), 2, -100)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('takes the loss from logsumexp when the target probability underflows', () => {
    const logits = Float32Array.of(0, 1e4);
    const probs = new Float32Array(2);
    softmaxRowsInto(logits, 2, probs);
    expect(probs[0]).toBe(0);
    expect(meanCrossEntropy(logits, probs, Int32Array.of(0), 2, -100)).toBe(1e4);
  });

  it('is 0 when every row is ignored and NaN when a kept target is out of range', () => {
    const logits = Float32Array.of(1, 2);
    const probs = new Float32Array(2);
    softmaxRowsInto(logits, 2, probs);
    expect(meanCrossEntropy(logits, probs, Int32Array.of(-100), 2, -100)).toBe(0);
    expect(meanCrossEntropy(logits, probs, Int32Array.of(2), 2, -100)).toBeNaN();
  });

  it('gives (p - onehot) dy / kept on kept rows and 0 on ignored rows', () => {
    const dlogits = new Float32Array(6).fill(7);
    softmaxCrossEntropyGradInto(4, Float32Array.of(0.5, 0.5, 0.25, 0.75, 0.1, 0.9), Int32Array.of(1, -100, 0), 2, -100, dlogits);
    expect(Array.from(dlogits)).toEqual([1, -1, 0, 0, -1.8, 1.8].map(Math.fround));
  });
});

/** crossEntropy of `[N, V]` logits (`scale` times standard normal) and the gradient of 3 x the loss. */
function lossAndGrad(shape: number[], targets: number[], scale: number, ignoreIndex?: number): () => tf.Tensor[] {
  return () => tf.tidy(() => {
    const logits = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 5), scale);
    const ids = tf.tensor(targets, shape.slice(0, -1), 'int32');
    const options = ignoreIndex === undefined ? {} : { ignoreIndex };
    const loss = (l: tf.Tensor) => tf.mul(crossEntropy(l, ids, options), 3);
    return [crossEntropy(logits, ids, options), tf.grad(loss)(logits)];
  });
}

const ids = (n: number, vocab: number, ignoreEvery = 0): number[] =>
  Array.from({ length: n }, (_, i) => (ignoreEvery > 0 && i % ignoreEvery === 0 ? -100 : (i * 7919) % vocab));

describe.each(FUSED_BACKENDS)('fused crossEntropy on %s', (backend) => {
  it.each([
    ['a single row', [1, 5], [3], 1],
    ['V not a multiple of 4, some rows ignored', [6, 13], ids(6, 13, 3), 1],
    ['a bigger vocabulary', [32, 1000], ids(32, 1000, 5), 2],
    ['logits of magnitude 1e4', [8, 37], ids(8, 37, 4), 1e4],
    ['every row ignored', [4, 9], [-100, -100, -100, -100], 1],
    ['[B, T, V] logits', [2, 3, 7], ids(6, 7, 4), 1],
  ] as const)('matches the composite path forward and backward: %s', async (_, shape, targets, scale) => {
    await expectFusedMatchesComposite(backend, lossAndGrad([...shape], [...targets], scale));
  });

  it('honours a custom ignoreIndex', async () => {
    await expectFusedMatchesComposite(backend, lossAndGrad([5, 6], [0, 1, 0, 2, 3], 1, 0));
  });

  it('gives a NaN loss when a kept target is out of range, like the composite path', async () => {
    await expectFusedMatchesComposite(backend, () => [lossAndGrad([2, 4], [1, 4], 1)()[0]!]);
    await tf.setBackend(backend);
    registerFusedKernels(backend, FUSED_OP_NAMES);
    const loss = tf.tidy(() => crossEntropy(tf.zeros([2, 4]), tf.tensor1d([1, 4], 'int32')));
    expect((await loss.data())[0]).toBeNaN();
    loss.dispose();
    unregisterFusedKernels(backend);
    await tf.setBackend('cpu');
  });

  it('runs one kernel forward and one backward, leaving no tensors behind', async () => {
    const kernels = [FUSED_KERNEL_NAMES.softmaxCrossEntropy, FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad];
    await expectFusedRun(backend, lossAndGrad([6, 13], ids(6, 13, 3), 1), kernels, 'ScatterNd');
  });
});

describe('registerFusedKernels defaults', () => {
  it('fuses only cross-entropy on wasm and every op on cpu, and unregisters them all', () => {
    registerFusedKernels('wasm');
    registerFusedKernels('cpu');
    const registered = (backend: string) => Object.values(FUSED_KERNEL_NAMES).filter((name) => tf.getKernel(name, backend) !== undefined);
    expect(registered('wasm')).toEqual([FUSED_KERNEL_NAMES.softmaxCrossEntropy, FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad]);
    expect(registered('cpu')).toEqual(Object.values(FUSED_KERNEL_NAMES));
    unregisterFusedKernels('wasm');
    unregisterFusedKernels('cpu');
    expect([...registered('wasm'), ...registered('cpu')]).toEqual([]);
  });
});
