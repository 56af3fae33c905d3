// Training-speed benchmark: the GPT-2 configs of bench/torch_reference.py, trained in wordforge with
// the same architecture and math (pre-LN blocks, tanh GELU, tied head, mean cross-entropy,
// AdamW lr 3e-4 betas (0.9, 0.95) weight decay 0.1 on every parameter, dropout 0, float32, random
// tokens), side by side with PyTorch when `/usr/bin/python3 -c 'import torch'` works.
//
//   npm run bench                                # tiny and small, every local backend
//   npm run bench -- --config small --steps 10
//   npm run bench -- --backends wasm,wasm-plain  # wasm-plain = tfjs's wasm kernels as they come
//   npm run bench -- --config all --out bench/results.json   # also write every row as JSON
//
// Every measurement is also printed as one JSON line for scripts, with live tensors, peak RSS and
// greedy generation tokens/s with and without the KV cache, beside bench/torch_generation.py (the
// same model decoding greedily in PyTorch, cached and uncached) when PyTorch is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, GPTCausalLM, GPT_PRESETS, Rng, generate, initBackend, overrideKernel, registerWasmKernels, restoreOriginalKernels, trainLoop,
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
    out: { type: 'string' },
  },
});
const configs = (args.config === 'all' ? 'tiny,small,base' : args.config).split(',') as Array<'tiny' | 'small' | 'base'>;
const steps = Number(args.steps);
const backends = args.backends.split(',');

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

async function measure(config: 'tiny' | 'small' | 'base', backend: string) {
  const plain = backend === 'wasm-plain';
  const info = await initBackend({ backend: (plain ? 'wasm' : backend) as BackendName });
  if (plain) {
    // tfjs's own wasm kernels, except UnsortedSegmentSum (the gradient of gather), which tfjs lacks
    // on wasm: without it nothing with an embedding can train at all.
    restoreOriginalKernels('wasm');
    overrideKernel(wasmUnsortedSegmentSumConfig);
  }
  const preset = GPT_PRESETS[config];
  const model = new GPTCausalLM({ ...preset, seed: 0 });
  const optimizer = new AdamW(model.namedParameters(), {
    learningRate: 3e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, decay: () => true,
  });
  const batch = randomBatch(preset.vocabSize, preset.contextLength, new Rng(0));
  await trainLoop(model, { optimizer, steps: 2, nextBatch: () => batch }); // warm-up: kernels compile, memory settles
  const [log] = await trainLoop(model, { optimizer, steps, logEvery: steps, nextBatch: () => batch });
  const msPerStep = log?.msPerStep ?? Number.NaN;
  const result = {
    impl: 'wordforge', config, backend: plain ? 'wasm-plain' : info.name, params: model.numParameters(),
    tokens_per_s: Math.round((BATCH_SIZE * preset.contextLength) / (msPerStep / 1000) * 10) / 10,
    ms_per_step: Math.round(msPerStep * 100) / 100,
    live_tensors: tf.memory().numTensors, // parameters + optimizer moments: constant from step to step
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(plain ? {} : await measureGeneration(model, preset.contextLength)),
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
for (const config of configs) {
  const reference = torch
    ? JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'torch_reference.py'), '--config', config, '--steps', String(steps)], { encoding: 'utf8' }).trim()) as { tokens_per_s: number; ms_per_step: number; impl: string }
    : undefined;
  const generationReference = torch
    ? JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'torch_generation.py'), '--config', config], { encoding: 'utf8' }).trim()) as
      { generate_tokens_per_s_cached: number; generate_tokens_per_s_uncached: number }
    : undefined;
  if (reference && generationReference) {
    console.log(`${config.padEnd(6)} ${reference.impl.padEnd(22)} ${String(reference.tokens_per_s).padStart(9)} tok/s ${String(reference.ms_per_step).padStart(9)} ms/step` +
      `  | generation ${generationReference.generate_tokens_per_s_cached} tok/s cached, ${generationReference.generate_tokens_per_s_uncached} uncached`);
    console.log(JSON.stringify({ ...reference, ...generationReference }));
    results.push({ ...reference, ...generationReference });
  }
  for (const backend of backends) {
    const r = await measure(config, backend);
    const ratio = reference ? `  ${(r.tokens_per_s / reference.tokens_per_s).toFixed(2)}x PyTorch` : '';
    const cached = 'generate_tokens_per_s_cached' in r ? r.generate_tokens_per_s_cached : undefined;
    const generationRatio = generationReference && cached !== undefined
      ? ` (${(cached / generationReference.generate_tokens_per_s_cached).toFixed(2)}x PyTorch)` : '';
    const generation = 'generate_tokens_per_s_cached' in r
      ? `  | generation ${r.generate_tokens_per_s_cached} tok/s cached${generationRatio}, ${r.generate_tokens_per_s_uncached} uncached` : '';
    console.log(`${config.padEnd(6)} ${`wordforge/${r.backend}`.padEnd(22)} ${String(r.tokens_per_s).padStart(9)} tok/s ${String(r.ms_per_step).padStart(9)} ms/step${ratio}${generation}`);
    const row = reference ? { ...r, ratio_to_pytorch: Math.round((r.tokens_per_s / reference.tokens_per_s) * 1000) / 1000 } : r;
    console.log(JSON.stringify(row));
    results.push(row);
  }
}
if (args.out) {
  await writeFileAtomic(args.out, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, results }, null, 1)}\n`);
  console.log(`results written to ${args.out}`);
}
if (tf.memory().numTensors > 0) console.log(`note: ${tf.memory().numTensors} tensors still allocated`);
