/**
 * Kernel benchmark of wordforge's backend overrides: the matrix products, the other overridden
 * kernels (Sum, Unpack, Identity) and the embedding gradient of one training step of the `small`
 * GPT (V=8192, D=256, H=4, T=128, B=8), timed on the wasm backend as tfjs ships it and with our
 * kernels, and the embedding gradient on cpu.
 *
 * Run: `npx tsx bench/kernels.ts`
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  initBackend,
  registerCpuKernels,
  registerWasmKernels,
  restoreOriginalKernels,
} from '../src/backend/index.js';

const V = 8192;
const D = 256;
const H = 4;
const T = 128;
const B = 8;
const N = B * T;
const DH = D / H;

interface MatMulCase {
  readonly name: string;
  readonly a: number[];
  readonly b: number[];
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

// Forward products and the backward products tfjs derives from them (dA = dC op(B)ᵀ, dB = op(A)ᵀ dC).
const matMuls: MatMulCase[] = [
  { name: 'qkv x@W', a: [N, D], b: [D, 3 * D], transposeA: false, transposeB: false },
  { name: 'qkv dW = xᵀ@dy', a: [N, D], b: [N, 3 * D], transposeA: true, transposeB: false },
  { name: 'qkv dx = dy@Wᵀ', a: [N, 3 * D], b: [D, 3 * D], transposeA: false, transposeB: true },
  { name: 'scores q@kᵀ', a: [B, H, T, DH], b: [B, H, T, DH], transposeA: false, transposeB: true },
  { name: 'attn p@v', a: [B, H, T, T], b: [B, H, T, DH], transposeA: false, transposeB: false },
  { name: 'attn dp = dy@vᵀ', a: [B, H, T, DH], b: [B, H, T, DH], transposeA: false, transposeB: true },
  { name: 'attn dv = pᵀ@dy', a: [B, H, T, T], b: [B, H, T, DH], transposeA: true, transposeB: false },
  { name: 'mlp x@W1', a: [N, D], b: [D, 4 * D], transposeA: false, transposeB: false },
  { name: 'mlp dW2 = hᵀ@dy', a: [N, 4 * D], b: [N, D], transposeA: true, transposeB: false },
  { name: 'lm head x@Wteᵀ', a: [N, D], b: [V, D], transposeA: false, transposeB: true },
  { name: 'lm head dx = dy@Wte', a: [N, V], b: [V, D], transposeA: false, transposeB: false },
  { name: 'lm head dWte = dyᵀ@x', a: [N, V], b: [N, D], transposeA: true, transposeB: false },
];

/**
 * Mean milliseconds of `f` over enough runs to fill ~0.5 s (at least 1), after one warm-up. wasm
 * and cpu kernels run synchronously, so the outputs are complete when `f` returns; reading them
 * back (`data()`) would add a copy out of the heap (~100 ms for a [1024, 8192] product).
 */
async function time(f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  tf.dispose(f());
  let runs = 0;
  const start = performance.now();
  do {
    tf.dispose(f());
    runs++;
  } while (performance.now() - start < 500);
  return (performance.now() - start) / runs;
}

function flops(c: MatMulCase): number {
  const m = c.transposeA ? (c.a.at(-1) as number) : (c.a.at(-2) as number);
  const k = c.transposeA ? (c.a.at(-2) as number) : (c.a.at(-1) as number);
  const n = c.transposeB ? (c.b.at(-2) as number) : (c.b.at(-1) as number);
  const batch = c.a.slice(0, -2).reduce((x, d) => x * d, 1);
  return 2 * batch * m * k * n;
}

const pad = (s: string, n: number): string => s.padEnd(n);
const fmt = (x: number): string => x.toFixed(x < 10 ? 2 : 1).padStart(8);

async function benchMatMuls(): Promise<void> {
  process.stdout.write(`\nBatchMatMul on wasm (ms, GFLOP/s)\n`);
  process.stdout.write(`${pad('case', 24)}${pad('shapes', 34)}   as-is  GFLOP/s     ours  GFLOP/s  speedup\n`);
  let totalAsIs = 0;
  let totalOurs = 0;
  for (const c of matMuls) {
    const a = tf.randomNormal(c.a, 0, 1, 'float32', 1);
    const b = tf.randomNormal(c.b, 0, 1, 'float32', 2);
    const f = () => tf.matMul(a, b, c.transposeA, c.transposeB);
    restoreOriginalKernels('wasm');
    const asIs = await time(f);
    registerWasmKernels();
    const ours = await time(f);
    totalAsIs += asIs;
    totalOurs += ours;
    const g = flops(c) / 1e6;
    const shapes = `[${c.a}]${c.transposeA ? 'ᵀ' : ''} @ [${c.b}]${c.transposeB ? 'ᵀ' : ''}`;
    process.stdout.write(`${pad(c.name, 24)}${pad(shapes, 34)}${fmt(asIs)} ${fmt(g / asIs)} ${fmt(ours)} ${fmt(g / ours)} ${fmt(asIs / ours)}x\n`);
    tf.dispose([a, b]);
  }
  process.stdout.write(`${pad('sum of the above', 58)}${fmt(totalAsIs)}          ${fmt(totalOurs)}          ${fmt(totalAsIs / totalOurs)}x\n`);
}

interface KernelCase {
  readonly name: string;
  readonly inputShape: number[];
  readonly run: (x: tf.Tensor) => tf.Tensor | tf.Tensor[];
}

// The other kernels we override, on the shapes a small-GPT step gives them.
const otherKernels: KernelCase[] = [
  { name: 'Sum: bias grad, axis 0', inputShape: [N, D], run: (x) => tf.sum(x, 0) },
  { name: 'Sum: MLP bias grad', inputShape: [B, T, 4 * D], run: (x) => tf.sum(x, [0, 1]) },
  { name: 'Unpack: qkv split', inputShape: [3, B, H, T, DH], run: (x) => tf.unstack(x) },
  { name: 'Identity: saved softmax', inputShape: [N, V], run: (x) => tf.clone(x) },
];

async function benchOtherKernels(): Promise<void> {
  process.stdout.write(`\nOther kernels on wasm (ms)\n`);
  process.stdout.write(`${pad('case', 28)}${pad('input', 22)}   as-is      ours  speedup\n`);
  for (const c of otherKernels) {
    const x = tf.randomNormal(c.inputShape, 0, 1, 'float32', 1);
    const f = () => c.run(x);
    restoreOriginalKernels('wasm');
    const asIs = await time(f);
    registerWasmKernels();
    const ours = await time(f);
    process.stdout.write(`${pad(c.name, 28)}${pad(`[${c.inputShape}]`, 22)}${fmt(asIs)}  ${fmt(ours)} ${fmt(asIs / ours)}x\n`);
    x.dispose();
  }
}

async function benchEmbeddingGradient(backendName: 'wasm' | 'cpu', vocab: number): Promise<void> {
  await initBackend({ backend: backendName });
  const table = tf.randomNormal([vocab, D], 0, 1, 'float32', 3);
  const tokens = tf.randomUniform([N], 0, vocab, 'int32', 4);
  const upstream = tf.randomNormal([N, D], 0, 1, 'float32', 5);
  const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tokens), upstream)));
  const f = () => grad(table);
  const restore = backendName === 'wasm' ? registerWasmKernels : registerCpuKernels;
  restoreOriginalKernels(backendName);
  let asIs: string;
  try {
    asIs = `${fmt(await time(f))} ms`;
  } catch (error) {
    asIs = `fails (${(error as Error).message.split('\n')[0]?.slice(0, 60)})`;
  }
  restore();
  const ours = await time(f);
  process.stdout.write(`${pad(`${backendName}, V=${vocab}`, 16)} as-is: ${pad(asIs, 72)} ours: ${fmt(ours)} ms\n`);
  tf.dispose([table, tokens, upstream]);
}

const info = await initBackend({ backend: 'wasm' });
process.stdout.write(`backend: ${JSON.stringify(info)}\n`);
await benchMatMuls();
await benchOtherKernels();
process.stdout.write(`\nEmbedding gradient (gather backward, N=${N} tokens, D=${D})\n`);
await benchEmbeddingGradient('wasm', V);
// tfjs's cpu kernel is O(V·N·D) (88 s a call at V=2048): V=512 keeps this under a minute.
await benchEmbeddingGradient('cpu', 512);
