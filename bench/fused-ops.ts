/**
 * Benchmark of the fused kernels of issue #9: LayerNorm, tanh GELU and softmax cross-entropy,
 * forward + backward through the ops (`tf.grads`), timed on the composite path (chains of tfjs
 * kernels) and on the fused path, on the shapes one training step of the `tiny` and `small` GPT
 * configs gives them (B=8), on a backend prepared by `initBackend` (wasm with wordforge's other
 * kernel overrides). What it measures decides `DEFAULT_FUSED_OPS`.
 *
 * Run: `npx tsx bench/fused-ops.ts [wasm|cpu] [rounds]` (default wasm, 3 rounds; each case
 * alternates the two paths every round so both see the same machine load; the best round of each
 * is printed, then every round).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/index.js';
import { FUSED_OP_NAMES, registerFusedKernels, unregisterFusedKernels, type FusedBackendName } from '../src/backend/fused/index.js';
import { crossEntropy, geluTanh, layerNorm } from '../src/ops/index.js';

const backendName = (process.argv[2] ?? 'wasm') as FusedBackendName;
const rounds = Number(process.argv[3] ?? 3);

interface OpCase {
  readonly name: string;
  /** Builds the inputs once and returns the timed step (its outputs are disposed by the timer). */
  readonly setup: () => { step: () => tf.Tensor[]; inputs: tf.Tensor[] };
}

function layerNormCase(rows: number, dim: number): OpCase {
  return {
    name: `layerNorm [${rows}, ${dim}]`,
    setup: () => {
      const inputs = [tf.randomNormal([rows, dim], 0, 1, 'float32', 1), tf.ones([dim]), tf.zeros([dim]), tf.randomNormal([rows, dim], 0, 1, 'float32', 2)];
      const [x, w, b, r] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, c, d, 1e-5), r)));
      return { step: () => grads([x, w, b]), inputs };
    },
  };
}

function geluCase(rows: number, dim: number): OpCase {
  return {
    name: `geluTanh [${rows}, ${dim}]`,
    setup: () => {
      const inputs = [tf.randomNormal([rows, dim], 0, 1, 'float32', 1), tf.randomNormal([rows, dim], 0, 1, 'float32', 2)];
      const [x, r] = inputs as [tf.Tensor, tf.Tensor];
      const grad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(geluTanh(a), r)));
      return { step: () => [grad(x)], inputs };
    },
  };
}

function crossEntropyCase(rows: number, vocab: number): OpCase {
  return {
    name: `crossEntropy [${rows}, ${vocab}]`,
    setup: () => {
      const inputs = [tf.randomNormal([rows, vocab], 0, 1, 'float32', 1), tf.randomUniform([rows], 0, vocab, 'int32', 2)];
      const [logits, targets] = inputs as [tf.Tensor, tf.Tensor];
      const grad = tf.grad((l: tf.Tensor) => crossEntropy(l, targets));
      return { step: () => [grad(logits)], inputs };
    },
  };
}

/**
 * Mean CPU ms (user + system of this process) of `step` over runs filling ~0.4 s of wall time,
 * after one warm-up. wasm and cpu kernels are synchronous and single-threaded, so CPU time is the
 * compute time without the waits for a core on a machine shared with other jobs.
 */
function time(step: () => tf.Tensor[]): number {
  tf.dispose(step());
  let runs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  do {
    tf.dispose(step());
    runs++;
  } while (performance.now() - start < 400);
  const cpu = process.cpuUsage(cpuStart);
  return (cpu.user + cpu.system) / 1000 / runs;
}

// tiny: N = 8 x 64 = 512 rows, D = 128, V = 512; small: N = 8 x 128 = 1024 rows, D = 256, V = 8192.
const cases: OpCase[] = [
  layerNormCase(512, 128), geluCase(512, 512), crossEntropyCase(512, 512),
  layerNormCase(1024, 256), geluCase(1024, 1024), crossEntropyCase(1024, 8192),
];

const info = await initBackend({ backend: backendName });
process.stdout.write(`backend: ${JSON.stringify(info)}\nforward + backward, CPU ms (best of ${rounds} rounds)\n`);
process.stdout.write(`${'case'.padEnd(26)}${'composite'.padStart(10)}${'fused'.padStart(10)}${'speedup'.padStart(10)}   all rounds composite | fused\n`);
for (const c of cases) {
  const { step, inputs } = c.setup();
  const composite: number[] = [];
  const fused: number[] = [];
  for (let round = 0; round < rounds; round++) {
    unregisterFusedKernels(backendName);
    composite.push(time(step));
    registerFusedKernels(backendName, FUSED_OP_NAMES);
    fused.push(time(step));
  }
  unregisterFusedKernels(backendName);
  const [bestComposite, bestFused] = [Math.min(...composite), Math.min(...fused)];
  const all = `${composite.map((t) => t.toFixed(2)).join(' ')} | ${fused.map((t) => t.toFixed(2)).join(' ')}`;
  process.stdout.write(`${c.name.padEnd(26)}${bestComposite.toFixed(2).padStart(10)}${bestFused.toFixed(2).padStart(10)}${(bestComposite / bestFused).toFixed(2).padStart(9)}x   ${all}\n`);
  tf.dispose(inputs);
}
