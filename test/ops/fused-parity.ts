import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
import { FUSED_OP_NAMES, registerFusedKernels, unregisterFusedKernels, type FusedBackendName } from '../../src/backend/fused/index.js';

/** The backends the fused kernels exist for; every parity test runs on both. */
export const FUSED_BACKENDS: readonly FusedBackendName[] = ['cpu', 'wasm'];

/** Values of each tensor `f` returns on `backend`, with the fused kernels registered or not. */
async function valuesOn(backend: FusedBackendName, fused: boolean, f: () => tf.Tensor[]): Promise<number[][]> {
  await tf.setBackend(backend);
  if (fused) registerFusedKernels(backend, FUSED_OP_NAMES);
  else unregisterFusedKernels(backend);
  const outputs = f();
  const values = await Promise.all(outputs.map(async (t) => Array.from(await t.data())));
  tf.dispose(outputs);
  return values;
}

/** Largest |a - b| / max(1, |b|); a NaN in only one of a pair counts as an infinite error. */
function worstError(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const [x, y] = [a[i] as number, b[i] as number];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  return worst;
}

/**
 * Runs `f` (which builds its inputs from seeds, so both runs see the same values) through the
 * composite path and then the fused path on `backend`, and expects every output within
 * `tolerance` relative of the composite one. Leaves the fused kernels unregistered and cpu active.
 */
export async function expectFusedMatchesComposite(
  backend: FusedBackendName, f: () => tf.Tensor[], tolerance = 1e-5,
): Promise<void> {
  const composite = await valuesOn(backend, false, f);
  const fused = await valuesOn(backend, true, f);
  unregisterFusedKernels(backend);
  await tf.setBackend('cpu');
  expect(fused.map((v) => v.length)).toEqual(composite.map((v) => v.length));
  composite.forEach((expected, i) => expect(worstError(fused[i]!, expected), `output ${i}`).toBeLessThan(tolerance));
}

/**
 * Expects `f`, run on `backend` with the fused kernels registered, to run the kernels `expected`
 * and not `replaced` (a kernel of the composite path), and to leave no tensors or buffers behind.
 */
export async function expectFusedRun(
  backend: FusedBackendName, f: () => tf.Tensor[], expected: readonly string[], replaced: string,
): Promise<void> {
  await tf.setBackend(backend);
  registerFusedKernels(backend, FUSED_OP_NAMES);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  const info = await tf.profile(() => f());
  tf.dispose(info.result as tf.Tensor[]);
  const leaked = [tf.memory().numTensors - tensorsBefore, tf.backend().numDataIds() - buffersBefore];
  unregisterFusedKernels(backend);
  await tf.setBackend('cpu');
  expect(info.kernelNames).toEqual(expect.arrayContaining([...expected]));
  expect(info.kernelNames).not.toContain(replaced);
  expect(leaked).toEqual([0, 0]);
}
