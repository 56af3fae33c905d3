// Activation recomputation (GPT `gradientCheckpointing`) benchmark: memory and speed of training
// steps with and without it, for a preset of bench/torch_reference.py (batch 8, full context,
// AdamW, dropout 0, random tokens).
//
//   npx tsx bench/recompute.ts --config small              # plain then recomputed, 3 rounds each
//   npx tsx bench/recompute.ts --config small --recompute  # one process, one mode: with recomputation
//   npx tsx bench/recompute.ts --config small --plain      # one process, one mode: without
//
// Each mode runs in a process of its own (peak RSS only ever grows within one process); the driver
// alternates the two modes `--rounds` times, so machine noise hits both alike, and prints every
// run as a JSON line, then a summary line with the medians of each mode and, for speed, the median
// of the per-round ratios (recompute / plain run back to back). Per run:
// - tokens_per_s, ms_per_step: a trainLoop of `--steps` steps after 2 warm-up steps;
// - cpu_ms_per_step: the process's CPU time (user + system) over the same steps, steadier than
//   wall time on a shared machine (the wasm backend runs on one thread);
// - tfjs_peak_mb: tf.profile's peakBytes during one more training step, minus the bytes held
//   before it (parameters and AdamW moments), i.e. the step's own high-water mark;
// - peak_rss_mb: the process's maximum resident set size at the end.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, GPTCausalLM, GPT_PRESETS, Rng, initBackend, trainLoop, type BackendName, type CausalLMBatch } from 'wordforge';

const BATCH_SIZE = 8; // the reference's B for every config
const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'small' },
    steps: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
    recompute: { type: 'boolean', default: false },
    plain: { type: 'boolean', default: false },
  },
});
const config = args.config as keyof typeof GPT_PRESETS;
const MB = 1024 * 1024;

interface RunResult {
  config: string; backend: string; recompute: boolean;
  tokens_per_s: number; ms_per_step: number; cpu_ms_per_step: number; tfjs_peak_mb: number; peak_rss_mb: number;
}

/** Trains the preset in this process, with or without recomputation, and measures it. */
async function measure(recompute: boolean): Promise<RunResult> {
  const info = await initBackend({ backend: args.backend as BackendName });
  const preset = GPT_PRESETS[config];
  const model = new GPTCausalLM({ ...preset, seed: 0, gradientCheckpointing: recompute });
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, decay: () => true });
  const rng = new Rng(0);
  const draw = (): Int32Array => Int32Array.from({ length: BATCH_SIZE * preset.contextLength }, () => rng.nextInt(preset.vocabSize));
  const batch: CausalLMBatch = { batchSize: BATCH_SIZE, seqLength: preset.contextLength, inputIds: draw(), labels: draw() };
  await trainLoop(model, { optimizer, steps: 2, nextBatch: () => batch }); // warm-up: kernels compile, moments exist
  const steps = Number(args.steps);
  const cpuBefore = process.cpuUsage();
  const [log] = await trainLoop(model, { optimizer, steps, logEvery: steps, nextBatch: () => batch });
  const cpu = process.cpuUsage(cpuBefore);
  const held = tf.memory().numBytes;
  const profile = await tf.profile(async () => { await trainLoop(model, { optimizer, steps: 1, nextBatch: () => batch }); });
  const msPerStep = log?.msPerStep ?? Number.NaN;
  model.dispose();
  optimizer.dispose();
  return {
    config, backend: info.name, recompute,
    tokens_per_s: Math.round((BATCH_SIZE * preset.contextLength) / (msPerStep / 1000) * 10) / 10,
    ms_per_step: Math.round(msPerStep),
    cpu_ms_per_step: Math.round((cpu.user + cpu.system) / 1000 / steps),
    tfjs_peak_mb: Math.round((profile.peakBytes - held) / MB * 10) / 10,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs this script once per mode and round, alternating, and summarises the medians. */
function drive(): void {
  const runs: RunResult[] = [];
  const script = fileURLToPath(import.meta.url);
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const mode of ['--plain', '--recompute']) {
      const child = spawnSync(process.execPath, [...process.execArgv, script, mode, '--config', config, '--steps', args.steps, '--backend', args.backend],
        { encoding: 'utf8' });
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{')) throw new Error(`${mode} run failed:\n${child.stdout}\n${child.stderr}`);
      console.log(line);
      runs.push(JSON.parse(line) as RunResult);
    }
  }
  const keys = ['tokens_per_s', 'cpu_ms_per_step', 'tfjs_peak_mb', 'peak_rss_mb'] as const;
  const [plainRuns, recomputedRuns] = [runs.filter((r) => !r.recompute), runs.filter((r) => r.recompute)];
  const summary = (mine: RunResult[]) => Object.fromEntries(keys.map((key) => [key, median(mine.map((r) => r[key]))])) as Record<typeof keys[number], number>;
  const [plain, recomputed] = [summary(plainRuns), summary(recomputedRuns)];
  const pairedRatio = (key: typeof keys[number]): number =>
    Math.round(median(recomputedRuns.map((r, round) => r[key] / plainRuns[round]![key])) * 100) / 100;
  console.log(JSON.stringify({
    summary: 'medians', config, backend: runs[0]?.backend, rounds: Number(args.rounds), plain, recompute: recomputed,
    speed_ratio: pairedRatio('tokens_per_s'), // median over rounds of recompute / plain in the same round
    cpu_time_ratio: pairedRatio('cpu_ms_per_step'),
    tfjs_peak_ratio: Math.round((recomputed.tfjs_peak_mb / plain.tfjs_peak_mb) * 100) / 100,
    rss_ratio: Math.round((recomputed.peak_rss_mb / plain.peak_rss_mb) * 100) / 100,
  }));
}

if (args.recompute || args.plain) console.log(JSON.stringify(await measure(args.recompute)));
else drive();
