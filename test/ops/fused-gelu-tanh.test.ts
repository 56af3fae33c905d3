import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { geluTanhGradInto, geluTanhInto } from '../../src/backend/fused/gelu-tanh-kernels.js';
import { FUSED_KERNEL_NAMES } from '../../src/backend/fused/index.js';
import { geluTanh } from '../../src/ops/activations.js';
import { FUSED_BACKENDS, expectFusedMatchesComposite, expectFusedRun } from './fused-parity.js';

/** torch.nn.functional.gelu(x, approximate='tanh') written out in float64. */
const torchGeluTanh = (x: number): number => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

describe('geluTanhInto / geluTanhGradInto', () => {
  it('is torch\'s tanh GELU, including far into both tails', () => {
    const xs = Float32Array.of(-20, -3, -1, -0.1, 0, 0.5, 1, 2.5, 20);
    const y = new Float32Array(xs.length);
    geluTanhInto(xs, y, new Float32Array(xs.length));
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(torchGeluTanh(x), 6));
  });

  it('has the derivative of torch\'s tanh GELU (central differences in float64)', () => {
    const xs = Float32Array.of(-4, -1, -0.3, 0, 0.7, 3);
    const s = new Float32Array(xs.length);
    geluTanhInto(xs, new Float32Array(xs.length), s);
    const dx = new Float32Array(xs.length);
    geluTanhGradInto(Float32Array.from(xs, () => 2), xs, s, dx);
    const h = 1e-6;
    xs.forEach((x, i) => expect(dx[i]).toBeCloseTo(2 * (torchGeluTanh(x + h) - torchGeluTanh(x - h)) / (2 * h), 5));
  });
});

/** geluTanh of `shape` (values `scale` times standard normal) and its gradient. */
function geluAndGrad(shape: number[], scale: number, seed: number): () => tf.Tensor[] {
  return () => tf.tidy(() => {
    const x = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);
    const upstream = tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
    return [geluTanh(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(geluTanh(a), upstream)))(x)];
  });
}

describe.each(FUSED_BACKENDS)('fused geluTanh on %s', (backend) => {
  it.each([
    [[1], 1],
    [[7, 13], 1],
    [[4, 1024], 3],
    [[2, 3, 5], 1e4], // large magnitudes: saturated tails
  ])('matches the composite path forward and backward for %j, scale %d', async (shape, scale) => {
    await expectFusedMatchesComposite(backend, geluAndGrad(shape, scale, 11));
  });

  it('runs one kernel forward and one backward, leaving no tensors behind', async () => {
    const kernels = [FUSED_KERNEL_NAMES.geluTanh, FUSED_KERNEL_NAMES.geluTanhGrad];
    await expectFusedRun(backend, geluAndGrad([3, 6], 1, 1), kernels, 'Sigmoid');
  });
});
