/**
 * Training speed of a GPT config with and without wordforge's fused kernels (issue #9), in one
 * process: rounds alternate the two so both see the same machine load. Same step as
 * bench/profile-step.ts (AdamW, B=8, random tokens) on a backend prepared by `initBackend`.
 *
 *   npx tsx bench/fused-train-step.ts [config] [backend] [steps] [rounds] [ops]
 *   e.g. npx tsx bench/fused-train-step.ts small wasm 3 4
 *        npx tsx bench/fused-train-step.ts tiny wasm 10 4 layerNorm,geluTanh,crossEntropy
 *
 * `ops`: the fused ops of the "fused" rows (default: DEFAULT_FUSED_OPS of the backend); "none"
 * measures only the composite path (tfjs kernels). Prints, per round and as best and median of
 * each, tokens per second of wall time and of this process's CPU time (user + system). On a
 * machine shared with other jobs the CPU-time figure is the steadier one: the wasm and cpu
 * backends compute on this one thread, and time spent waiting for a core does not count.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, GPTCausalLM, GPT_PRESETS, Rng, initBackend, trainLoop, type CausalLMBatch } from 'wordforge';
import {
  DEFAULT_FUSED_OPS, registerFusedKernels, unregisterFusedKernels, type FusedBackendName, type FusedOpName,
} from '../src/backend/fused/index.js';

const [config = 'small', backendName = 'wasm', stepsArg = '3', roundsArg = '3', opsArg] = process.argv.slice(2) as
  ['tiny' | 'small' | 'base', FusedBackendName, string, string, string | undefined];
const steps = Number(stepsArg);
const rounds = Number(roundsArg);
const ops = opsArg === undefined ? DEFAULT_FUSED_OPS[backendName] : opsArg === 'none' ? [] : (opsArg.split(',') as FusedOpName[]);

const BATCH_SIZE = 8;
const info = await initBackend({ backend: backendName });
const preset = GPT_PRESETS[config];
const model = new GPTCausalLM(preset);
const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-4, decay: () => true, weightDecay: 0.1 });
const rng = new Rng(0);
const n = BATCH_SIZE * preset.contextLength;
const draw = () => Int32Array.from({ length: n }, () => rng.nextInt(preset.vocabSize));
const batch: CausalLMBatch = { batchSize: BATCH_SIZE, seqLength: preset.contextLength, inputIds: draw(), labels: draw() };

interface Speed {
  /** Tokens per second of wall time. */
  readonly wall: number;
  /** Tokens per second of this process's CPU time. */
  readonly cpu: number;
}

/** Speed of `count` training steps (the loss read at the end waits for the last step). */
async function tokensPerSecond(count: number): Promise<Speed> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await trainLoop(model, { optimizer, steps: count, nextBatch: () => batch });
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (count * n) / ((performance.now() - start) / 1000), cpu: (count * n) / ((cpu.user + cpu.system) / 1e6) };
}

function setFused(fused: boolean): void {
  unregisterFusedKernels(backendName);
  if (fused) registerFusedKernels(backendName, ops);
}

process.stdout.write(`backend ${JSON.stringify(info)}; ${config}: ${steps} steps a round, B=${BATCH_SIZE}, T=${preset.contextLength}; fused ops: ${ops.join(',') || 'none'}\n`);
const modes = ops.length > 0 ? [false, true] : [false];
for (const fused of modes) {
  setFused(fused);
  await tokensPerSecond(1); // warm-up: kernels set up, JIT
}
const results = new Map<boolean, Speed[]>(modes.map((m) => [m, []]));
const label = (fused: boolean): string => (fused ? 'fused    ' : 'composite');
for (let round = 0; round < rounds; round++) {
  for (const fused of modes) {
    setFused(fused);
    const speed = await tokensPerSecond(steps);
    results.get(fused)!.push(speed);
    process.stdout.write(`round ${round} ${label(fused)} wall ${speed.wall.toFixed(0)} tok/s, cpu ${speed.cpu.toFixed(0)} tok/s\n`);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const summary = (xs: number[]): string => `best ${Math.max(...xs).toFixed(0)} median ${median(xs).toFixed(0)}`;
for (const fused of modes) {
  const speeds = results.get(fused)!;
  process.stdout.write(`${label(fused)} tok/s wall: ${summary(speeds.map((s) => s.wall))}; cpu: ${summary(speeds.map((s) => s.cpu))}\n`);
}
setFused(false);
model.dispose();
optimizer.dispose();
process.stdout.write(`live tensors at the end: ${tf.memory().numTensors}\n`);
