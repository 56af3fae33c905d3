import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';

// Stand-in for an installed @tensorflow/tfjs-node: importing it registers a 'tensorflow' backend,
// as the real package does (here one computing with tfjs's cpu kernels under that name).
vi.mock('@tensorflow/tfjs-node', async () => {
  const core = await import('@tensorflow/tfjs-core');
  core.registerBackend('tensorflow', () => new MathBackendCPU());
  return { version: 'mock' };
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('initBackend with @tensorflow/tfjs-node installed', () => {
  it("prefers it over wasm and reports it as 'tensorflow'", async () => {
    delete process.env['WORDFORGE_BACKEND'];
    const info = await initBackend({});
    expect(info.name).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(info.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu']);
    expect(info.simd).toBeUndefined();
  });

  it('still honours an explicit request for wasm', async () => {
    expect((await initBackend({ backend: 'wasm' })).name).toBe('wasm');
  });
});
