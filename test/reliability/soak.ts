// A long run of a tiny GPT: training steps, then sampled generation, measuring the live tfjs
// tensors and the process RSS. Shared by soak.test.ts (short) and scripts/reliability (long).
import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX, type CausalLMBatch } from '../../src/data/causal-lm-batch.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { trainLoop } from '../../src/training/train-loop.js';
import { Rng } from '../../src/utils/rng.js';

/** What one soak measured. */
export interface SoakFigures {
  readonly steps: number;
  readonly generatedTokens: number;
  /** Live tensors after warm-up (model, optimizer slots) and at the end, before disposal. */
  readonly tensorsStart: number;
  readonly tensorsEnd: number;
  /** Live tensors once the model is disposed, minus those before it was built (0 = no leak). */
  readonly tensorsLeaked: number;
  readonly rssStartMB: number;
  readonly rssEndMB: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly seconds: number;
}

const CONFIG = { vocabSize: 23, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 32, seed: 11 };
const BATCH = 4;
const SEQ = 16;
/** Tokens generated per call (prompt of 4, well inside the context). */
const TOKENS_PER_CALL = 25;
/** Steps and one generation call run before the start figures, so lazily built state exists. */
const WARMUP_STEPS = 5;

const rssMB = (): number => process.memoryUsage().rss / 2 ** 20;

/** Random windows of a repeating pattern with noise: learnable, so the loss must fall. */
function batchOf(rng: Rng): CausalLMBatch {
  const rows = Array.from({ length: BATCH }, () => {
    const start = rng.nextInt(CONFIG.vocabSize);
    return Array.from({ length: SEQ + 1 }, (_, i) => (rng.nextFloat() < 0.1 ? rng.nextInt(CONFIG.vocabSize) : (start + i) % CONFIG.vocabSize));
  });
  const labels = rows.map((r) => r.slice(1));
  labels.forEach((r) => { r[SEQ - 1] = rng.nextFloat() < 0.5 ? r[SEQ - 1]! : IGNORE_INDEX; });
  return { batchSize: BATCH, seqLength: SEQ, inputIds: Int32Array.from(rows.flatMap((r) => r.slice(0, SEQ))), labels: Int32Array.from(labels.flat()) };
}

/**
 * Trains a tiny GPT for `steps` AdamW steps (clipped), then
 * generates at least `tokens` tokens by sampling, and reports tensor counts and RSS.
 */
export async function soak(steps: number, tokens: number): Promise<SoakFigures> {
  const started = performance.now();
  const baseline = tf.memory().numTensors;
  const rng = new Rng(7);
  const model = new GPTCausalLM(CONFIG);
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3, weightDecay: 0.01 });
  const train = (n: number) => trainLoop(model, {
    optimizer, steps: n, nextBatch: () => batchOf(rng), maxGradNorm: 1, logEvery: Math.max(1, Math.min(50, n)),
  });
  const generate = async (calls: number): Promise<number> => {
    let generated = 0;
    for (let i = 0; i < calls; i++) {
      const [row] = await model.generate([[1, 2, 3, 4]], { maxNewTokens: TOKENS_PER_CALL, strategy: 'sample', seed: i });
      generated += row!.length;
    }
    return generated;
  };
  const [first] = await train(WARMUP_STEPS);
  await generate(1);
  const tensorsStart = tf.memory().numTensors;
  const rssStartMB = rssMB();
  const logs = await train(steps);
  const generatedTokens = await generate(Math.ceil(tokens / TOKENS_PER_CALL));
  const tensorsEnd = tf.memory().numTensors;
  const rssEndMB = rssMB();
  model.dispose();
  optimizer.dispose();
  return {
    steps, generatedTokens, tensorsStart, tensorsEnd, tensorsLeaked: tf.memory().numTensors - baseline,
    rssStartMB, rssEndMB, firstLoss: first!.loss, lastLoss: logs.at(-1)!.loss, seconds: (performance.now() - started) / 1000,
  };
}
