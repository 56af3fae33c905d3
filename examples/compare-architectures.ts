// GPT-, BERT- and T5-style models of similar size, side by side on the same corpus: each is
// randomly initialised, trained with its own objective for the same steps, batch size and sequence
// length on the same token blocks, then compared on parameters, training tokens/s, training and
// validation loss, perplexity and a small task.
//
//   GPT  (GPTCausalLM)      next-token prediction        collateCausalLM
//   BERT (BertForMaskedLM)  masked tokens, 15% (80/10/10) collateMaskedLM
//   T5   (T5Seq2SeqLM)      span corruption (0.15, 3)    collateSpanCorruption
//
// The three losses measure different tasks, so compare them within a row (how far training got),
// not across rows. The task: continue the first line of a held-out Tang poem (the half before
// '，' given, the rest of the line expected), scored with BLEU (zh tokenizer) and ROUGE-L (unicode
// tokenizer). GPT continues the text as it was trained to; T5 first gets a few fine-tuning steps on
// (first half → second half) pairs from the training poems (collateSeq2Seq). BERT does not
// generate left to right, so it is scored on masked-token accuracy on the validation blocks.
// Dropout is off for all three (short runs), and poems are split into train and validation by
// content hash, so no validation poem is trained on.
//
//   npx tsx examples/compare-architectures.ts                          # Tang poems, 300 steps each
//   npx tsx examples/compare-architectures.ts --steps 1000 --hidden-size 128 --layers 4 --out cmp.md
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, BertForMaskedLM, CharTokenizer, GPTCausalLM, Rng, T5Seq2SeqLM, Trainer, bertParameterCount, countParameters,
  gptParameterCount, initBackend, t5ParameterCount, type GenerationOptions, type TrainableModel,
} from 'wordforge';
import {
  collateCausalLM, collateMaskedLM, collateSeq2Seq, collateSpanCorruption, exampleBatchSource, noiseSpanCounts, splitDataset, tokenBlocks,
  type IndexedDataset, type MaskedLMBatch, type Seq2SeqPair,
} from 'wordforge/data';
import { bleu, rouge } from 'wordforge/metrics';
import { TANG_POEMS, loadPoemCorpus } from './poem-corpus.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: TANG_POEMS },
    steps: { type: 'string', default: '300' },
    'finetune-steps': { type: 'string', default: '150' },
    'batch-size': { type: 'string', default: '8' },
    'seq-length': { type: 'string', default: '64' },
    'hidden-size': { type: 'string', default: '64' },
    heads: { type: 'string', default: '4' },
    layers: { type: 'string', default: '2' },
    lr: { type: 'string', default: '3e-3' },
    'validation-batches': { type: 'string', default: '4' },
    'task-examples': { type: 'string', default: '32' },
    seed: { type: 'string', default: '0' },
    tolerance: { type: 'string', default: '0.15' },
    out: { type: 'string', default: 'runs/compare-architectures.md' },
    json: { type: 'string' },
  },
});
const steps = Number(args.steps);
const batchSize = Number(args['batch-size']);
const seqLength = Number(args['seq-length']);
const hiddenSize = Number(args['hidden-size']);
const numHeads = Number(args.heads);
const layers = Number(args.layers);
const learningRate = Number(args.lr);
const seed = Number(args.seed);
const tolerance = Number(args.tolerance);
const noise = { noiseDensity: 0.15, meanSpanLength: 3 } as const;

console.log(`backend: ${(await initBackend()).name}`);

// One corpus, one tokenizer, one split. Special ids: 0 pad (also T5's decoder start), 1 end of
// sequence, 2 mask, then T5's sentinels, as many as a block can have noise spans.
const poems = loadPoemCorpus(args.data, { batchSize: 1, seqLength: 1, validationBatches: 0 }).text.split('\n\n');
const PAD = 0;
const EOS = 1;
const MASK = 2;
const sentinels = Array.from({ length: noiseSpanCounts(seqLength, noise).noiseSpans }, (_, k) => `<extra_id_${k}>`);
const specials = ['<pad>', '</s>', '<mask>', ...sentinels];
const tokenizer = CharTokenizer.fromText(poems.join('\n\n'), { specialTokens: specials });
const vocabSize = tokenizer.vocabSize;
const specialIds = specials.map((_, id) => id);
const sentinelIds = specialIds.slice(3);
const { train, validation } = splitDataset(poems, { ratios: { train: 0.9, validation: 0.1, test: 0 }, by: 'hash', seed });
const encodeAll = (texts: readonly string[]): Int32Array => Int32Array.from(tokenizer.encode(texts.join('\n\n')));
// Blocks of seqLength + 1 tokens overlapping by one: GPT predicts tokens 1..T from 0..T-1; BERT and T5 read tokens 0..T-1.
const trainBlocks = tokenBlocks(encodeAll(train), { blockSize: seqLength + 1, stride: seqLength });
const validationBlocks = tokenBlocks(encodeAll(validation), { blockSize: seqLength + 1, stride: seqLength });
const validationRows = Array.from({ length: Number(args['validation-batches']) }, (_, b) =>
  Array.from({ length: batchSize }, (_, i) => validationBlocks.get((b * batchSize + i) % validationBlocks.length)));
console.log(`${poems.length} poems (${train.length} train, ${validation.length} validation), ${vocabSize} ids; `
  + `${trainBlocks.length} training blocks of ${seqLength} tokens`);

// Similar sizes: the same width for all; GPT and BERT get `layers` blocks, T5 the encoder/decoder
// split whose count is closest to GPT's (a decoder block holds cross-attention too).
const gptConfig = { vocabSize, contextLength: seqLength, hiddenSize, numLayers: layers, numHeads, dropout: 0, seed };
const bertConfig = { vocabSize, maxPositions: seqLength, hiddenSize, numLayers: layers, numHeads, hiddenDropout: 0, attentionDropout: 0, padTokenId: PAD, seed };
const gptCount = gptParameterCount(gptConfig);
const t5Config = Array.from({ length: layers }, (_, e) => Array.from({ length: layers }, (_, d) => ({
  vocabSize, hiddenSize, numHeads, headDim: hiddenSize / numHeads, intermediateSize: 4 * hiddenSize, numLayers: e + 1, numDecoderLayers: d + 1,
  dropout: 0, padTokenId: PAD, eosTokenId: EOS, decoderStartTokenId: PAD, seed,
}))).flat().reduce((best, c) => (Math.abs(t5ParameterCount(c) - gptCount) < Math.abs(t5ParameterCount(best) - gptCount) ? c : best));
const counts = { GPT: gptCount, BERT: bertParameterCount(bertConfig, 'masked-lm'), T5: t5ParameterCount(t5Config) };
const spread = Math.max(...Object.values(counts)) / Math.min(...Object.values(counts)) - 1;
console.log(`parameters: ${Object.entries(counts).map(([name, n]) => `${name} ${n.toLocaleString('en')}`).join(', ')} `
  + `(largest ${(100 * spread).toFixed(1)}% above smallest; T5 ${t5Config.numLayers} encoder + ${t5Config.numDecoderLayers} decoder blocks)`);
if (spread > tolerance) throw new Error(`parameter counts differ by ${(100 * spread).toFixed(1)}%, more than --tolerance ${tolerance}`);

/** Mean loss of `model` over `batches`, without training. */
async function meanLoss<Batch>(model: TrainableModel<Batch>, batches: readonly Batch[]): Promise<number> {
  let sum = 0;
  for (const batch of batches) {
    const loss = tf.tidy(() => model.computeLoss(batch, false));
    sum += (await loss.data())[0]!;
    loss.dispose();
  }
  return sum / batches.length;
}

/** Trains `model` with `optimizer` for `maxSteps` on `data`; the training losses logged. */
async function fit<T, Batch>(model: TrainableModel<Batch>, data: IndexedDataset<T>, maxSteps: number, collate: (rows: T[], rng: Rng) => Batch) {
  const optimizer = new AdamW(model.namedParameters(), { learningRate, weightDecay: 0.01 });
  const trainer = new Trainer({
    model, optimizer, maxSteps, maxGradNorm: 1, logEvery: Math.max(1, Math.floor(maxSteps / 10)),
    train: exampleBatchSource(data, { batchSize, seed, collate: (rows, at) => collate(rows, new Rng(at.seed)) }),
  });
  const started = performance.now();
  const state = await trainer.train();
  const seconds = (performance.now() - started) / 1000;
  optimizer.dispose();
  const log = state.logHistory.filter((e) => e.metrics.loss !== undefined);
  // Speed from the logging intervals after the first, which carries the warm-up (kernel compilation, first allocations).
  const timed = log.length > 1 ? log.slice(1) : log;
  const timedSteps = timed.map((e) => e.step - (log[log.indexOf(e) - 1]?.step ?? 0));
  const msPerStep = timed.reduce((sum, e, i) => sum + e.metrics.ms_per_step! * timedSteps[i]!, 0) / timedSteps.reduce((a, b) => a + b, 0);
  return { losses: log.map((e) => e.metrics.loss!), seconds, steps: state.step, stepsPerSecond: 1000 / msPerStep };
}

/** One model's row of the comparison. */
interface Result {
  readonly name: string;
  readonly objective: string;
  readonly parameters: number;
  readonly tokensPerSecond: number;
  readonly trainLosses: number[];
  readonly validationLossBefore: number;
  readonly validationLoss: number;
  readonly task: Record<string, number>;
}

/**
 * Pretrains `model` on the shared blocks with its objective (`collate` turns blocks into its
 * batches) and measures it: corpus tokens per second (batch × seqLength tokens per step, over the
 * time per step after the first logging interval) and validation loss on fixed batches before and after.
 */
async function pretrain<Batch>(name: string, objective: string, model: TrainableModel<Batch>, collate: (rows: Int32Array[], rng: Rng) => Batch) {
  const validationBatches = validationRows.map((rows, i) => collate(rows, new Rng(10_000 + i)));
  const validationLossBefore = await meanLoss(model, validationBatches);
  const { losses, seconds, stepsPerSecond } = await fit(model, trainBlocks, steps, collate);
  const validationLoss = await meanLoss(model, validationBatches);
  console.log(`${name}: train loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}, validation ${validationLossBefore.toFixed(3)} → ${validationLoss.toFixed(3)} (${seconds.toFixed(1)} s)`);
  return {
    validationBatches,
    result: {
      name, objective, parameters: countParameters(model).total, tokensPerSecond: stepsPerSecond * batchSize * seqLength,
      trainLosses: losses, validationLossBefore, validationLoss,
    },
  };
}

// The task: first verse line of each held-out poem, split after '，'.
const halves = (poemsOf: readonly string[], firstOnly: boolean) => poemsOf.flatMap((poem) => {
  const lines = poem.split('\n').filter((l) => /^[^，]+，.+$/u.test(l)).slice(0, firstOnly ? 1 : undefined);
  return lines.map((l) => { const cut = l.indexOf('，') + 1; return { input: l.slice(0, cut), reference: l.slice(cut) }; });
});
const taskExamples = halves(validation, true).slice(0, Number(args['task-examples']));
if (taskExamples.length === 0) throw new Error(`no held-out poem has a line with '，' to split: use a larger corpus or another seed`);
const maxNewTokens = Math.max(...taskExamples.map((e) => [...e.reference].length)) + 2;
const decode = (ids: readonly number[]): string => tokenizer.decode(ids.filter((id) => id >= specials.length)).split('\n')[0]!.trim();

/** Greedy outputs for every task input, in batches of `batchSize`, scored with BLEU and ROUGE-L. */
async function scoreTask(model: { generate(ids: number[][], options: GenerationOptions): Promise<number[][]> }, encode: (text: string) => number[],
  options: GenerationOptions) {
  const outputs: string[] = [];
  for (let start = 0; start < taskExamples.length; start += batchSize) {
    const prompts = taskExamples.slice(start, start + batchSize).map((e) => encode(e.input));
    outputs.push(...(await model.generate(prompts, options)).map(decode));
  }
  console.log(`  e.g. ${taskExamples.slice(0, 2).map((e, i) => `${e.input}${e.reference} → ${e.input}${outputs[i]}`).join('; ')}`);
  const references = taskExamples.map((e) => e.reference);
  return {
    bleu: bleu(outputs, references.map((r) => [r]), { tokenize: 'zh' }).score,
    rougeL: outputs.reduce((sum, o, i) => sum + rouge(references[i]!, o, { types: ['rougeL'], tokenizer: 'unicode' }).rougeL.fmeasure, 0) / outputs.length,
  };
}

const results: Result[] = [];
{
  const model = new GPTCausalLM(gptConfig);
  const run = await pretrain('GPT', 'next token', model, (rows) => collateCausalLM(rows, { padId: PAD }));
  const task = await scoreTask(model, (text) => tokenizer.encode(text), { maxNewTokens, stop: ['\n'], decode: (ids) => tokenizer.decode(ids), padTokenId: PAD });
  results.push({ ...run.result, task });
  model.dispose();
}
{
  const model = new BertForMaskedLM(bertConfig);
  const run = await pretrain('BERT', 'masked token', model, (rows, rng) => collateMaskedLM(rows.map((r) => r.subarray(0, seqLength)), {
    maskTokenId: MASK, vocabSize, specialIds, padId: PAD, probability: 0.15, maskRate: 0.8, randomRate: 0.1, rng,
  }));
  results.push({ ...run.result, task: { maskedAccuracy: maskedAccuracy(model, run.validationBatches) } });
  model.dispose();
}
{
  const model = new T5Seq2SeqLM(t5Config);
  const run = await pretrain('T5', 'corrupted spans', model, (rows, rng) => collateSpanCorruption(rows.map((r) => r.subarray(0, seqLength)), {
    ...noise, eosId: EOS, sentinelIds, padId: PAD, decoderStartId: PAD, rng,
  }));
  const pairs: Seq2SeqPair[] = halves(train, false).map((e) => ({ source: [...tokenizer.encode(e.input), EOS], target: [...tokenizer.encode(e.reference), EOS] }));
  const tuned = await fit(model, pairs, Number(args['finetune-steps']), (rows) => collateSeq2Seq(rows, { padId: PAD, decoderStartId: PAD }));
  console.log(`  T5 fine-tuned on ${pairs.length} line halves for ${tuned.steps} steps: loss ${tuned.losses[0]!.toFixed(3)} → ${tuned.losses.at(-1)!.toFixed(3)}`);
  const task = await scoreTask(model, (text) => [...tokenizer.encode(text), EOS], { maxNewTokens, eosTokenId: EOS, padTokenId: PAD });
  results.push({ ...run.result, task });
  model.dispose();
}

/** Share of the masked positions (labels set) whose argmax prediction is the original token. */
function maskedAccuracy(model: BertForMaskedLM, batches: readonly MaskedLMBatch[]): number {
  let right = 0;
  let total = 0;
  for (const b of batches) {
    const shape: [number, number] = [b.batchSize, b.seqLength];
    const predicted = tf.tidy(() => tf.argMax(model.logits({
      inputIds: tf.tensor2d(b.inputIds, shape, 'int32'),
      ...(b.attentionMask ? { attentionMask: tf.tensor2d(Int32Array.from(b.attentionMask), shape, 'int32') } : {}),
    }), -1).dataSync());
    b.labels.forEach((label, i) => { if (label >= 0) { total++; if (predicted[i] === label) right++; } });
  }
  return total === 0 ? 0 : right / total;
}

const formatTask = (task: Record<string, number>): string => (task.maskedAccuracy !== undefined
  ? `masked-token accuracy ${task.maskedAccuracy.toFixed(3)}`
  : `BLEU ${task.bleu!.toFixed(2)}, ROUGE-L ${task.rougeL!.toFixed(3)}`);
const header = ['model', 'objective (loss measures)', 'parameters', 'train tokens/s', 'final train loss', 'validation loss', 'perplexity', 'task metric'];
const rows = results.map((r) => [
  r.name, r.objective, r.parameters.toLocaleString('en'), r.tokensPerSecond.toFixed(0), r.trainLosses.at(-1)!.toFixed(4),
  r.validationLoss.toFixed(4), Math.exp(r.validationLoss).toFixed(3), formatTask(r.task),
]);
const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const report = `# GPT vs BERT vs T5

${steps} steps each, batch ${batchSize} × ${seqLength} tokens, AdamW lr ${learningRate}, seed ${seed}; width ${hiddenSize}, `
  + `${layers} blocks (T5: ${t5Config.numLayers} encoder + ${t5Config.numDecoderLayers} decoder); ${vocabSize} character ids; data ${args.data}.

${table}

- Train tokens/s: batch × sequence length corpus tokens per step over the time per step, first logging interval (warm-up) left out; train loss: mean over the last logging interval.
- The losses measure different tasks (next token, masked token, corrupted spans): compare them within a row (and against the untrained `
  + `validation loss: ${results.map((r) => `${r.name} ${r.validationLossBefore.toFixed(3)}`).join(', ')}), not across rows.
- Task: continue the first line of ${taskExamples.length} held-out poems from its first half (BLEU with the zh tokenizer, ROUGE-L with the `
  + `unicode tokenizer, greedy). T5 was fine-tuned for ${args['finetune-steps']} steps on (first half → second half) pairs first; `
  + `BERT does not generate left to right and is scored on masked-token accuracy on the validation blocks instead.
`;
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, report);
console.log(`\n${report}`);
if (args.json !== undefined) {
  writeFileSync(args.json, JSON.stringify({ counts, tolerance, results, tensorsLeft: tf.memory().numTensors }, null, 2));
}
console.log(`tensors left: ${tf.memory().numTensors}`);
