import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, BACKEND_NAMES, initBackend } from '../../src/backend/init-backend.js';
import { wasmBatchMatMul } from '../../src/backend/wasm/batch-mat-mul.js';
import { cpuUnsortedSegmentSum } from '../../src/backend/cpu/unsorted-segment-sum.js';
import { BackendError } from '../../src/utils/errors.js';

const savedEnv = process.env[BACKEND_ENV_VAR];

afterEach(async () => {
  if (savedEnv == null) delete process.env[BACKEND_ENV_VAR];
  else process.env[BACKEND_ENV_VAR] = savedEnv;
  await tf.setBackend('cpu');
});

describe('initBackend', () => {
  it('lists the backends fastest first', () => {
    expect(BACKEND_NAMES).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
  });

  it('picks wasm when the tfjs-node packages are absent, saying why each was skipped', async () => {
    delete process.env[BACKEND_ENV_VAR];
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(info.requested).toBe('auto');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(info.skipped[0]?.reason).toMatch(/@tensorflow\/tfjs-node-gpu/);
    expect(info.skipped[1]?.reason).toMatch(/@tensorflow\/tfjs-node\b/);
    expect(typeof info.simd).toBe('boolean');
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).toBe(wasmBatchMatMul);
  });

  it('follows the environment variable when no option is given', async () => {
    process.env[BACKEND_ENV_VAR] = ' CPU ';
    const info = await initBackend();
    expect(info).toEqual({ name: 'cpu', requested: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu').kernelFunc).toBe(cpuUnsortedSegmentSum);
  });

  it('lets the option override the environment variable', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const info = await initBackend({ backend: 'wasm' });
    expect(info.name).toBe('wasm');
    expect(info.requested).toBe('wasm');
    expect(info.skipped).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it("treats 'auto' in the environment variable as no choice", async () => {
    process.env[BACKEND_ENV_VAR] = 'auto';
    expect((await initBackend()).name).toBe('wasm');
  });

  it('rejects an unknown name, saying where it came from', async () => {
    process.env[BACKEND_ENV_VAR] = 'webgpu';
    await expect(initBackend()).rejects.toThrow(BackendError);
    await expect(initBackend()).rejects.toThrow(/'webgpu' \(from \$WORDFORGE_BACKEND\)/);
    await expect(initBackend({ backend: 'gpu' as 'cpu' })).rejects.toThrow(/'gpu' \(from the backend option\)/);
  });

  it('throws a BackendError naming a requested backend that cannot start, and the reason', async () => {
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'tensorflow-gpu' }))
      .rejects.toThrow(/backend 'tensorflow-gpu' cannot be initialised: cannot load @tensorflow\/tfjs-node-gpu/);
  });

  it('is idempotent and safe to call concurrently', async () => {
    const [first, second, third] = await Promise.all([
      initBackend({ backend: 'wasm' }),
      initBackend({ backend: 'wasm' }),
      initBackend({ backend: 'cpu' }),
    ]);
    expect(second).toEqual(first);
    expect(third?.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ backend: 'wasm' })).name).toBe('wasm');
  });

  it('registers gradients, so training works on the chosen backend', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor1d([1, 2, 3]);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
    expect(Array.from(await dx.data())).toEqual([2, 4, 6]);
    tf.dispose([x, dx]);
  });
});
