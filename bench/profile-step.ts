import * as tf from '@tensorflow/tfjs-core';
import { AdamW, GPTCausalLM, GPT_PRESETS, Rng, initBackend, trainLoop } from 'wordforge';
// Per-kernel time of one training step of a reference config: where a step spends its time.
//   npx tsx bench/profile-step.ts [config] [backend]     e.g. small wasm
const [config = 'small', backend = 'wasm'] = process.argv.slice(2) as ['tiny' | 'small' | 'base', 'wasm' | 'cpu'];
await initBackend({ backend });
const p = GPT_PRESETS[config];
const model = new GPTCausalLM(p);
const opt = new AdamW(model.namedParameters(), { learningRate: 3e-4, decay: () => true, weightDecay: 0.1 });
const rng = new Rng(0);
const n = 8 * p.contextLength;
const batch = { batchSize: 8, seqLength: p.contextLength, inputIds: Int32Array.from({ length: n }, () => rng.nextInt(p.vocabSize)), labels: Int32Array.from({ length: n }, () => rng.nextInt(p.vocabSize)) };
await trainLoop(model, { optimizer: opt, steps: 1, nextBatch: () => batch });
const info = await tf.profile(async () => { await trainLoop(model, { optimizer: opt, steps: 1, nextBatch: () => batch }); });
const agg = new Map<string, [number, number]>();
for (const k of info.kernels) { const a = agg.get(k.name) ?? [0, 0]; a[0] += (k.kernelTimeMs as number); a[1]++; agg.set(k.name, a); }
const rows = [...agg].sort((a, b) => b[1][0] - a[1][0]);
let total = 0; for (const [, [t]] of rows) total += t;
console.log('total kernel ms', total.toFixed(0));
for (const [name, [t, c]] of rows.slice(0, 25)) console.log(name.padEnd(24), t.toFixed(1).padStart(8), String(c).padStart(5));
