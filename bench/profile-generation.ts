import * as tf from '@tensorflow/tfjs-core';
import { GPTCausalLM, GPT_PRESETS, Rng, T5Seq2SeqLM, disposeGPTCache, greedy, initBackend, processLogits, sample, type GPTGenerationCache, type LogitsProcessing } from 'wordforge';
// Per-kernel time of one cached greedy decoding step (8-token prompt, 16 tokens already decoded),
// the wall time of the step around it (kernels plus everything in JavaScript between them), and
// optionally: `products`, the best time of the step's matrix products alone at a few cache lengths;
// `speed`, the best of 5 greedy generations (8-token prompt, 32 new tokens, KV cache, as
// bench/train-speed.ts measures once) of this GPT and of a T5 of the same sizes (16-token input);
// `processors`, the best time of choosing one token from [1, V] logits greedily and by sampling
// through each warper.
// Best-of figures resist a shared, loaded machine better than single runs.
//   npx tsx bench/profile-generation.ts [config] [backend] [repeats] [products] [speed] [processors]   e.g. small wasm 20 speed
const [config = 'small', backend = 'wasm', repeatArg = '20', ...modes] = process.argv.slice(2) as ['tiny' | 'small' | 'base', 'wasm' | 'cpu', string, ...string[]];
const repeats = Number(repeatArg);
await initBackend({ backend });
const model = new GPTCausalLM({ ...GPT_PRESETS[config], seed: 0 });

/** Runs the prompt and `decoded` cached steps; returns the cache and the last token chosen. */
async function warm(decoded: number): Promise<{ cache: GPTGenerationCache; token: number }> {
  const prompt = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]], [1, 8], 'int32');
  let { logits, cache } = model.next(prompt, null);
  prompt.dispose();
  let [token = 0] = await greedy(logits);
  logits.dispose();
  for (let i = 0; i < decoded; i++) {
    const input = tf.tensor2d([[token]], [1, 1], 'int32');
    const out = model.next(input, cache);
    input.dispose();
    disposeGPTCache(cache);
    [token = 0] = await greedy(out.logits);
    out.logits.dispose();
    cache = out.cache;
  }
  return { cache, token };
}

/** One step as the generate loop runs it: upload the token, `next`, argmax and read it back. */
async function step(cache: GPTGenerationCache, token: number): Promise<GPTGenerationCache> {
  const input = tf.tensor2d([[token]], [1, 1], 'int32');
  const out = model.next(input, cache);
  input.dispose();
  await greedy(out.logits);
  out.logits.dispose();
  return out.cache;
}

const { cache, token } = await warm(16);
const before = tf.memory().numTensors;
let next = await step(cache, token); // warm-up of this shape
disposeGPTCache(next);
// The least loaded of 5 profiled steps (the machine may be shared).
let info = await tf.profile(async () => { disposeGPTCache(await step(cache, token)); });
const kernelMs = (i: Awaited<ReturnType<typeof tf.profile>>) => i.kernels.reduce((sum, k) => sum + (k.kernelTimeMs as number), 0);
for (let i = 0; i < 4; i++) {
  const again = await tf.profile(async () => { disposeGPTCache(await step(cache, token)); });
  if (kernelMs(again) < kernelMs(info)) info = again;
}
const agg = new Map<string, [number, number]>();
for (const k of info.kernels) { const a = agg.get(k.name) ?? [0, 0]; a[0] += (k.kernelTimeMs as number); a[1]++; agg.set(k.name, a); }
const rows = [...agg].sort((a, b) => b[1][0] - a[1][0]);
let total = 0; for (const [, [t]] of rows) total += t;
console.log(`${config} on ${backend}: ${info.kernels.length} kernels, ${total.toFixed(2)} ms in kernels (least of 5 profiled steps)`);
for (const [name, [t, c]] of rows.slice(0, 25)) console.log(name.padEnd(24), t.toFixed(2).padStart(8), String(c).padStart(5));
const slow = [...info.kernels].sort((a, b) => (b.kernelTimeMs as number) - (a.kernelTimeMs as number)).slice(0, 8);
console.log('slowest single kernels:');
for (const k of slow) console.log(`  ${k.name.padEnd(20)} ${(k.kernelTimeMs as number).toFixed(2).padStart(7)} ms  in [${k.inputShapes.map((s) => `[${s}]`).join(', ')}] -> [${k.outputShapes.map((s) => `[${s}]`).join(', ')}]`);
const times: number[] = [];
for (let i = 0; i < repeats; i++) {
  const start = performance.now();
  next = await step(cache, token);
  times.push(performance.now() - start);
  disposeGPTCache(next);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
console.log(`wall per cached step over ${repeats}: median ${median.toFixed(2)} ms (${(1000 / median).toFixed(1)} tok/s), min ${times[0]?.toFixed(2)} ms`);
disposeGPTCache(cache);
console.log(`tensors: ${before} before (cache included), ${tf.memory().numTensors} after (cache freed)`);

/** Best mean microseconds of `f` over 10 rounds of 30 calls (the minimum resists a loaded machine). */
function bestMicroseconds(f: () => tf.Tensor): number {
  for (let i = 0; i < 5; i++) f().dispose();
  let best = Infinity;
  for (let round = 0; round < 10; round++) {
    const start = performance.now();
    for (let i = 0; i < 30; i++) f().dispose();
    best = Math.min(best, ((performance.now() - start) / 30) * 1000);
  }
  return best;
}

if (modes.includes('products')) {
  const { hiddenSize: d, numHeads: h, vocabSize: v } = model.config;
  const dh = d / h;
  const cases: Array<[string, number[], number[], boolean]> = [
    ['x @ Wqkv', [1, d], [d, 3 * d], false],
    ['x @ Wfc', [1, d], [d, 4 * d], false],
    ['h @ Wproj', [1, 4 * d], [4 * d, d], false],
    ['x @ Wteᵀ (tied head)', [1, d], [v, d], true],
    ['x @ (Wteᵀ) (head pre-transposed)', [1, d], [d, v], false],
  ];
  for (const s of [16, 64, 128, 256]) {
    cases.push([`q @ kᵀ, ${s} keys`, [1, h, 1, dh], [1, h, s, dh], true]);
    cases.push([`p @ v, ${s} keys`, [1, h, 1, s], [1, h, s, dh], false]);
  }
  for (const [name, aShape, bShape, transposeB] of cases) {
    const a = tf.randomNormal(aShape);
    const b = tf.randomNormal(bShape);
    console.log(`${name.padEnd(34)} ${bestMicroseconds(() => tf.matMul(a, b, false, transposeB)).toFixed(1).padStart(8)} µs`);
    tf.dispose([a, b]);
  }
}

/** Best tokens/s of 5 greedy generations of 32 tokens (after one warm-up). */
async function bestTokensPerSecond(run: () => Promise<number[][]>): Promise<number> {
  await run();
  let best = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const [tokens = []] = await run();
    best = Math.max(best, tokens.length / ((performance.now() - start) / 1000));
  }
  return best;
}

if (modes.includes('speed')) {
  const prompt = [1, 2, 3, 4, 5, 6, 7, 8];
  const gpt = await bestTokensPerSecond(() => model.generate([prompt], { maxNewTokens: 32 }));
  console.log(`GPT ${config}: ${gpt.toFixed(1)} tok/s cached greedy (best of 5)`);
  const { vocabSize, hiddenSize, numLayers, numHeads, intermediateSize } = model.config;
  const t5 = new T5Seq2SeqLM({ vocabSize, hiddenSize, numLayers, numHeads, headDim: hiddenSize / numHeads, intermediateSize, seed: 0 });
  const input = Array.from({ length: 16 }, (_, i) => i + 2);
  // eosTokenId []: never stops early, so every run decodes 32 tokens.
  const t5Speed = await bestTokensPerSecond(() => t5.generate([input], { maxNewTokens: 32, eosTokenId: [] }));
  console.log(`T5 of the same sizes: ${t5Speed.toFixed(1)} tok/s cached greedy (best of 5)`);
  t5.dispose();
}
if (modes.includes('processors')) {
  const logits = tf.randomNormal([1, model.config.vocabSize], 0, 2, 'float32', 1);
  const rng = new Rng(1);
  const warpers: Array<[string, LogitsProcessing]> = [
    ['temperature 0.8', { temperature: 0.8 }], ['+ top-k 40', { temperature: 0.8, topK: 40 }],
    ['+ top-p 0.9', { temperature: 0.8, topP: 0.9 }], ['min-p 0.05', { minP: 0.05 }], ['typical-p 0.9', { typicalP: 0.9 }],
  ];
  const cases: Array<[string, () => Promise<unknown>]> = [['greedy', () => greedy(logits)], ...warpers.map(([name, warp]) => [
    `sample, ${name}`, async () => { const processed = processLogits(logits, warp); await sample(processed, rng); processed.dispose(); },
  ] as [string, () => Promise<unknown>])];
  for (const [name, choose] of cases) {
    for (let i = 0; i < 3; i++) await choose();
    let best = Infinity;
    for (let round = 0; round < 10; round++) {
      const start = performance.now();
      for (let i = 0; i < 5; i++) await choose();
      best = Math.min(best, (performance.now() - start) / 5);
    }
    console.log(`token choice, ${name.padEnd(28)} ${best.toFixed(3).padStart(8)} ms`);
  }
  logits.dispose();
}
model.dispose();
