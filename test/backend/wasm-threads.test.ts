import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { WASM_THREADS_ENV_VAR, resolveWasmThreads } from '../../src/backend/wasm-threads.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { BackendError } from '../../src/utils/errors.js';
import { expectNoLeaks, maxRelativeError } from './compare.js';

// One process can rebuild the wasm backend with another pool size while it holds no tensors, so
// the single-thread and threaded builds are compared here side by side.
const twoCores = availableParallelism() >= 2;

afterEach(() => {
  delete process.env[WASM_THREADS_ENV_VAR];
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** `f()`'s outputs as plain arrays, computed on wasm with a pool of `threads`; leaves no tensors. */
async function onWasm(threads: number, f: () => tf.Tensor[]): Promise<number[][]> {
  const info = await initBackend({ backend: 'wasm', threads });
  expect(info.threads).toBe(threads);
  expect(info.threadsReason).toBeUndefined();
  const outputs = f();
  const values = await Promise.all(outputs.map(async (t) => Array.from(await t.data())));
  tf.dispose(outputs);
  return values;
}

function matMuls(): tf.Tensor[] {
  return tf.tidy(() => {
    // Big enough to grow the wasm heap past its initial 16 MB while the workers run.
    const a = tf.randomNormal([1024, 1536], 0, 1, 'float32', 1);
    const b = tf.randomNormal([1536, 1024], 0, 1, 'float32', 2);
    // Batched with both operands transposed: wordforge's BatchMatMul splits it per slice.
    const c = tf.randomNormal([3, 96, 200], 0, 1, 'float32', 3);
    const d = tf.randomNormal([3, 160, 96], 0, 1, 'float32', 4);
    return [tf.matMul(a, b), tf.matMul(c, d, true, true)];
  });
}

/** Loss and gradients of one GPT training step on fixed tokens (tiny shapes, fixed seed). */
function gptStep(): tf.Tensor[] {
  const model = new GPTCausalLM({ vocabSize: 97, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 32, seed: 3 });
  const tokens = Int32Array.from({ length: 4 * 32 }, (_, i) => (i * 37 + 11) % 97);
  const labels = Int32Array.from({ length: 4 * 32 }, (_, i) => (i * 53 + 5) % 97);
  const { value, grads } = tf.variableGrads(
    () => model.computeLoss({ batchSize: 4, seqLength: 32, inputIds: tokens, labels }, true),
    model.parameters(),
  );
  const outputs = [value, ...model.parameters().map((p) => grads[p.name] as tf.Tensor)];
  model.dispose();
  return outputs;
}

describe.runIf(twoCores)('wasm with a thread pool of 2', () => {
  it('computes the same products as the single-thread build', async () => {
    const single = await onWasm(1, matMuls);
    const threaded = await onWasm(2, matMuls);
    for (const [i, values] of threaded.entries()) {
      expect(values.length).toBe(single[i]?.length);
      expect(maxRelativeError(values, single[i] as number[])).toBeLessThan(1e-5);
    }
  });

  it('gives a GPT training step the same loss and gradients', async () => {
    const single = await onWasm(1, gptStep);
    const threaded = await onWasm(2, gptStep);
    expect(threaded.length).toBe(single.length);
    expect(Math.abs((threaded[0]?.[0] as number) - (single[0]?.[0] as number))).toBeLessThan(1e-5);
    for (const [i, values] of threaded.entries()) {
      expect(maxRelativeError(values, single[i] as number[])).toBeLessThan(1e-4);
    }
  });

  it('leaks no tensors and no wasm buffers in a training step', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    expectNoLeaks(() => tf.dispose(gptStep()));
    expect(getThreadsCount()).toBe(2);
  });

  it('keeps its pool when asked again without a count, and follows the environment variable', async () => {
    expect((await initBackend({ backend: 'wasm', threads: 2 })).threads).toBe(2);
    expect((await initBackend({ backend: 'wasm' })).threads).toBe(2);
    process.env[WASM_THREADS_ENV_VAR] = '1';
    expect((await initBackend({ backend: 'wasm' })).threads).toBe(1);
  });

  it('keeps a pool that holds tensors, saying why', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    const held = tf.ones([4]);
    const info = await initBackend({ backend: 'wasm', threads: 1 });
    expect(info.threads).toBe(2);
    expect(info.threadsReason).toMatch(/already runs with 2 thread\(s\) and holds 1 tensor/);
    expect(Array.from(await tf.mul(held, 3).data())).toEqual([3, 3, 3, 3]);
    tf.dispose(held);
  });
});

describe('wasm thread count', () => {
  it('rejects a count that is not a whole number from 1 to the cores, naming it', async () => {
    const cores = availableParallelism();
    for (const bad of [0, -1, 1.5, Number.NaN, cores + 1]) {
      await expect(initBackend({ backend: 'wasm', threads: bad })).rejects.toThrow(BackendError);
    }
    await expect(initBackend({ threads: 0 })).rejects
      .toThrow(`wasm threads (0, from the threads option) must be a whole number from 1 to ${cores}`);
    process.env[WASM_THREADS_ENV_VAR] = 'two';
    await expect(initBackend({ backend: 'cpu' })).rejects.toThrow(/wasm threads \("two", from \$WORDFORGE_WASM_THREADS\)/);
  });

  it('takes the option before the environment variable, which may be blank', () => {
    process.env[WASM_THREADS_ENV_VAR] = ' 1 ';
    expect(resolveWasmThreads(undefined)).toBe(1);
    expect(resolveWasmThreads(availableParallelism())).toBe(availableParallelism());
    process.env[WASM_THREADS_ENV_VAR] = '';
    expect(resolveWasmThreads(undefined)).toBeUndefined();
  });
});
