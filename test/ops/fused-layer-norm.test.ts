import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { layerNormGradInto, layerNormInto } from '../../src/backend/fused/layer-norm-kernels.js';
import { FUSED_KERNEL_NAMES } from '../../src/backend/fused/index.js';
import { layerNorm } from '../../src/ops/layer-norm.js';
import { FUSED_BACKENDS, expectFusedMatchesComposite, expectFusedRun } from './fused-parity.js';

describe('layerNormInto / layerNormGradInto', () => {
  it('normalises a row by hand (biased variance, eps inside the root)', () => {
    const y = new Float32Array(3);
    const mean = new Float32Array(1);
    const rstd = new Float32Array(1);
    // x = [1, 2, 6]: mean 3, biased variance (4 + 1 + 9) / 3 = 14/3
    layerNormInto(Float32Array.of(1, 2, 6), Float32Array.of(1, 2, 1), Float32Array.of(0, 0, 1), 1, y, mean, rstd);
    const rs = 1 / Math.sqrt(14 / 3 + 1);
    expect(mean[0]).toBeCloseTo(3, 6);
    expect(rstd[0]).toBeCloseTo(rs, 6);
    expect(Array.from(y)).toEqual([-2 * rs, -2 * rs, 3 * rs + 1].map(Math.fround));
  });

  it('gives dweight = Σ dy xhat and dbias = Σ dy over rows', () => {
    const dx = new Float32Array(4);
    const dw = new Float32Array(2);
    const db = new Float32Array(2);
    // Rows [1, 3] and [0, 4]: xhat = [-1, 1] for both (mean 2 resp. 2, rstd 1 resp. 1/2).
    layerNormGradInto(Float32Array.of(1, 2, 3, 5), Float32Array.of(1, 3, 0, 4), Float32Array.of(1, 1),
      Float32Array.of(2, 2), Float32Array.of(1, 0.5), dx, dw, db);
    expect(Array.from(dw)).toEqual([-1 - 3, 2 + 5]);
    expect(Array.from(db)).toEqual([4, 7]);
    // Row 0: g = [1, 2], mean(g) = 1.5, mean(g xhat) = 0.5: dx = [1 - 1.5 + 0.5, 2 - 1.5 - 0.5] = [0, 0]
    expect(Array.from(dx.subarray(0, 2))).toEqual([0, 0]);
  });
});

/** Output and gradients of x, weight and bias of a layerNorm of `shape`, scaled by `scale`. */
function layerNormAndGrads(shape: number[], scale: number, seed: number): () => tf.Tensor[] {
  const dim = shape.at(-1) as number;
  return () => tf.tidy(() => {
    const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale), 0.5);
    const weight = tf.randomNormal([dim], 1, 0.5, 'float32', seed + 1);
    const bias = tf.randomNormal([dim], 0, 0.5, 'float32', seed + 2);
    const upstream = tf.randomNormal(shape, 0, 1, 'float32', seed + 3);
    const loss = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, w, b, 1e-5), upstream));
    return [layerNorm(x, weight, bias, 1e-5), ...tf.grads(loss)([x, weight, bias])];
  });
}

describe.each(FUSED_BACKENDS)('fused layerNorm on %s', (backend) => {
  it.each([
    [[1, 8], 1], // a single row
    [[3, 5, 13], 1], // D not a multiple of 4
    [[64, 256], 1],
    [[4, 1], 1], // D = 1: every xhat is 0
    [[6, 37], 1e4], // large magnitudes
  ])('matches the composite path forward and backward for %j, scale %d', async (shape, scale) => {
    await expectFusedMatchesComposite(backend, layerNormAndGrads(shape, scale, 7));
  });

  it('runs one kernel forward and one backward, leaving no tensors behind', async () => {
    const kernels = [FUSED_KERNEL_NAMES.layerNorm, FUSED_KERNEL_NAMES.layerNormGrad];
    await expectFusedRun(backend, layerNormAndGrads([3, 6], 1, 1), kernels, 'Rsqrt');
  });
});
