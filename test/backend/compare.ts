import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Values and shape of `f()` computed on the tfjs backend `backendName`; leaves that backend active. */
export async function runOn(
  backendName: string,
  f: () => tf.Tensor,
): Promise<{ shape: number[]; dtype: tf.DataType; values: number[] }> {
  await tf.setBackend(backendName);
  const out = f();
  const values = Array.from(await out.data());
  const result = { shape: out.shape, dtype: out.dtype, values };
  out.dispose();
  return result;
}

/** Largest |a - b| relative to max(1, |b|). */
export function maxRelativeError(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const expected = b[i] as number;
    worst = Math.max(worst, Math.abs((a[i] as number) - expected) / Math.max(1, Math.abs(expected)));
  }
  return worst;
}

/** Asserts that `f` (run on the active backend) leaves no tensors and no backend buffers behind. */
export function expectNoLeaks(f: () => void): void {
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  f();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.backend().numDataIds()).toBe(buffersBefore);
}
