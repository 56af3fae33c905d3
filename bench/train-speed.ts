// Training-speed benchmark: the GPT-2 configs of bench/torch_reference.py, trained in wordforge with
// the same architecture and math (pre-LN blocks, tanh GELU, tied head, mean cross-entropy,
// AdamW lr 3e-4 betas (0.9, 0.95) weight decay 0.1 on every parameter, dropout 0, float32, random
// tokens), side by side with PyTorch when `/usr/bin/python3 -c 'import torch'` works.
//
//   npm run bench                                # tiny and small, every local backend
//   npm run bench -- --config small --steps 10
//   npm run bench -- --backends wasm,wasm-plain  # wasm-plain = tfjs's wasm kernels as they come
//   npm run bench -- --config small --backends wasm,wasm-threads   # wasm on 1 thread, then on --threads
//   npm run bench -- --torch-threads 1,2         # the PyTorch reference at each intra-op thread count
//   npm run bench -- --backends wasm,wasm-threads --repeat 5   # round-robin 5 times, then medians
//   npm run bench -- --config all --out bench/results.json   # also write every row as JSON
//
// Every measurement is also printed as one JSON line for scripts, with live tensors, peak RSS and
// greedy generation tokens/s with and without the KV cache, beside bench/torch_generation.py (the
// same model decoding greedily in PyTorch, cached and uncached) when PyTorch is installed.
// `wasm` and `wasm-plain` run one wasm thread; `wasm-threads` runs `--threads` (default: every core
// Node reports) through initBackend's threaded wasm build. Each row records the threads and the
// process CPU time per wall second (`cpu_per_wall`, ~1 for one busy core) so ratios compare like
// with like; a wordforge row is compared with the PyTorch row of the same thread count when there
// is one, else with the first.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, GPTCausalLM, GPT_PRESETS, Rng, generate, initBackend, overrideKernel, registerWasmKernels, restoreOriginalKernels, trainLoop, unregisterFusedKernels,
  type BackendName, type CausalLMBatch, type NextFn,
} from 'wordforge';
import { wasmUnsortedSegmentSumConfig } from '../src/backend/wasm/unsorted-segment-sum.js';
import { writeFileAtomic } from '../src/utils/atomic-write.js';

const BATCH_SIZE = 8; // the reference's B for every config
const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'tiny,small' },
    steps: { type: 'string', default: '5' },
    backends: { type: 'string', default: 'wasm,cpu' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'torch-threads': { type: 'string', default: '1' },
    repeat: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const configs = (args.config === 'all' ? 'tiny,small,base' : args.config).split(',') as Array<'tiny' | 'small' | 'base'>;
const steps = Number(args.steps);
const backends = args.backends.split(',');
const wasmThreads = Number(args.threads);
const torchThreads = args['torch-threads'].split(',').map(Number);
// Rounds over all backends, interleaved so that a shared machine's changing load hits each alike.
const rounds = Number(args.repeat);

function hasTorch(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function randomBatch(vocabSize: number, seqLength: number, rng: Rng): CausalLMBatch {
  const n = BATCH_SIZE * seqLength;
  const draw = () => Int32Array.from({ length: n }, () => rng.nextInt(vocabSize));
  return { batchSize: BATCH_SIZE, seqLength, inputIds: draw(), labels: draw() };
}

/** Greedy decoding speed of one sequence, with the KV cache and by full recomputation. */
async function measureGeneration(model: GPTCausalLM, contextLength: number) {
  const prompt = Array.from({ length: 8 }, (_, i) => i + 1);
  const newTokens = Math.min(32, contextLength - prompt.length);
  const time = async (run: () => Promise<unknown>) => {
    await run(); // warm-up
    const start = performance.now();
    await run();
    return Math.round((newTokens / ((performance.now() - start) / 1000)) * 10) / 10;
  };
  const noCache: NextFn<null> = (tokens) => {
    const previous = history;
    history = previous === null ? tf.clone(tokens) : tf.concat([previous, tokens], 1);
    previous?.dispose();
    const logits = model.logits(history, { training: false });
    const last = tf.tidy(() => tf.squeeze(tf.slice(logits, [0, logits.shape[1] - 1, 0], [-1, 1, -1]), [1]));
    logits.dispose();
    return { logits: last, cache: null };
  };
  let history: tf.Tensor | null = null;
  const withCache = await time(() => model.generate([prompt], { maxNewTokens: newTokens }));
  const withoutCache = await time(async () => {
    history = null;
    await generate(noCache, [prompt], { maxNewTokens: newTokens, disposeCache: () => {} });
    (history as tf.Tensor | null)?.dispose();
  });
  return { generate_tokens_per_s_cached: withCache, generate_tokens_per_s_uncached: withoutCache };
}

/** Process CPU seconds per wall second while `run` runs: ~1 for one busy core, ~2 for two. */
async function cpuPerWall<T>(run: () => Promise<T>): Promise<{ result: T; cpuPerWall: number }> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await run();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  return { result, cpuPerWall: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100 };
}

async function measure(config: 'tiny' | 'small' | 'base', backend: string, withGeneration: boolean) {
  const plain = backend === 'wasm-plain';
  const isWasm = backend.startsWith('wasm');
  const info = await initBackend({
    backend: (isWasm ? 'wasm' : backend) as BackendName,
    ...(isWasm ? { threads: backend === 'wasm-threads' ? wasmThreads : 1 } : {}),
  });
  if (info.threadsReason != null) console.log(`note: ${backend} runs ${info.threads} thread(s): ${info.threadsReason}`);
  if (plain) {
    // tfjs's own wasm kernels, except UnsortedSegmentSum (the gradient of gather), which tfjs lacks
    // on wasm: without it nothing with an embedding can train at all.
    restoreOriginalKernels('wasm');
    unregisterFusedKernels('wasm');
    overrideKernel(wasmUnsortedSegmentSumConfig);
  }
  const preset = GPT_PRESETS[config];
  const model = new GPTCausalLM({ ...preset, seed: 0 });
  const optimizer = new AdamW(model.namedParameters(), {
    learningRate: 3e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, decay: () => true,
  });
  const batch = randomBatch(preset.vocabSize, preset.contextLength, new Rng(0));
  await trainLoop(model, { optimizer, steps: 2, nextBatch: () => batch }); // warm-up: kernels compile, memory settles
  const timed = await cpuPerWall(() => trainLoop(model, { optimizer, steps, logEvery: steps, nextBatch: () => batch }));
  const msPerStep = timed.result[0]?.msPerStep ?? Number.NaN;
  const result = {
    impl: 'wordforge', config, backend: isWasm ? backend : info.name, params: model.numParameters(),
    ...(info.threads === undefined ? {} : { threads: info.threads }),
    cpu_per_wall: timed.cpuPerWall,
    tokens_per_s: Math.round((BATCH_SIZE * preset.contextLength) / (msPerStep / 1000) * 10) / 10,
    ms_per_step: Math.round(msPerStep * 100) / 100,
    live_tensors: tf.memory().numTensors, // parameters + optimizer moments: constant from step to step
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(plain || !withGeneration ? {} : await measureGeneration(model, preset.contextLength)),
  };
  model.dispose();
  optimizer.dispose();
  if (plain) registerWasmKernels();
  return result;
}

const here = dirname(fileURLToPath(import.meta.url));
const results: object[] = [];
const torch = hasTorch();
if (!torch) console.log('PyTorch not found at /usr/bin/python3: printing wordforge figures only');
interface TorchReference { tokens_per_s: number; ms_per_step: number; impl: string; threads: number }

function runTorchReference(config: string, threads: number): TorchReference {
  const argv = [join(here, 'torch_reference.py'), '--config', config, '--steps', String(steps), '--threads', String(threads)];
  return JSON.parse(execFileSync('/usr/bin/python3', argv, { encoding: 'utf8' }).trim()) as TorchReference;
}

for (const config of configs) {
  const references = torch ? torchThreads.map((threads) => runTorchReference(config, threads)) : [];
  const generationReference = torch
    ? JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'torch_generation.py'), '--config', config], { encoding: 'utf8' }).trim()) as
      { generate_tokens_per_s_cached: number; generate_tokens_per_s_uncached: number }
    : undefined;
  for (const [i, reference] of references.entries()) {
    const label = `${reference.impl} (${reference.threads} thr)`;
    const generation = generationReference && i === 0
      ? `  | generation ${generationReference.generate_tokens_per_s_cached} tok/s cached, ${generationReference.generate_tokens_per_s_uncached} uncached` : '';
    console.log(`${config.padEnd(6)} ${label.padEnd(22)} ${String(reference.tokens_per_s).padStart(9)} tok/s ${String(reference.ms_per_step).padStart(9)} ms/step${generation}`);
    const row = i === 0 ? { ...reference, ...generationReference } : reference;
    console.log(JSON.stringify(row));
    results.push(row);
  }
  const tokensPerS = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) for (const backend of backends) {
    const r = await measure(config, backend, round === 0);
    tokensPerS.set(backend, [...(tokensPerS.get(backend) ?? []), r.tokens_per_s]);
    const reference = references.find((ref) => ref.threads === ('threads' in r ? r.threads : 1)) ?? references[0];
    const ratio = reference ? `  ${(r.tokens_per_s / reference.tokens_per_s).toFixed(2)}x PyTorch (${reference.threads} thr)` : '';
    const cached = 'generate_tokens_per_s_cached' in r ? r.generate_tokens_per_s_cached : undefined;
    const generationRatio = generationReference && cached !== undefined
      ? ` (${(cached / generationReference.generate_tokens_per_s_cached).toFixed(2)}x PyTorch)` : '';
    const generation = 'generate_tokens_per_s_cached' in r
      ? `  | generation ${r.generate_tokens_per_s_cached} tok/s cached${generationRatio}, ${r.generate_tokens_per_s_uncached} uncached` : '';
    const label = `wordforge/${r.backend}${'threads' in r ? ` (${r.threads} thr)` : ''}`;
    console.log(`${config.padEnd(6)} ${label.padEnd(22)} ${String(r.tokens_per_s).padStart(9)} tok/s ${String(r.ms_per_step).padStart(9)} ms/step` +
      `  ${r.cpu_per_wall} cpu/wall${ratio}${generation}`);
    const row = reference ? { ...r, ratio_to_pytorch: Math.round((r.tokens_per_s / reference.tokens_per_s) * 1000) / 1000 } : r;
    console.log(JSON.stringify(row));
    results.push(row);
  }
  if (rounds > 1) {
    for (const [backend, values] of tokensPerS) {
      const sorted = [...values].sort((x, y) => x - y);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      console.log(`${config.padEnd(6)} wordforge/${backend}: median ${median} tok/s over ${rounds} rounds (min ${sorted[0]}, max ${sorted.at(-1)})`);
    }
  }
}
if (args.out) {
  await writeFileAtomic(args.out, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, results }, null, 1)}\n`);
  console.log(`results written to ${args.out}`);
}
if (tf.memory().numTensors > 0) console.log(`note: ${tf.memory().numTensors} tensors still allocated`);
