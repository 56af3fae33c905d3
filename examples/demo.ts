// The wordforge demo: trains a character-level GPT on the Brown corpus on this machine's best tfjs
// backend, printing falling loss and tokens/s, then samples text from it.
//
//   npm run demo                      # defaults: a few minutes on 2 cores
//   npm run demo -- --steps 2000      # longer run, better text
//   WORDFORGE_BACKEND=cpu npm run demo
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, CharTokenizer, GPTCausalLM, Rng, cosineWithWarmup, initBackend, sampleWindows, trainLoop,
} from 'wordforge';
import { loadBrownCorpus } from './brown-corpus.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    'batch-size': { type: 'string', default: '16' },
    'context-length': { type: 'string', default: '64' },
    'hidden-size': { type: 'string', default: '128' },
    layers: { type: 'string', default: '4' },
    heads: { type: 'string', default: '4' },
    'learning-rate': { type: 'string', default: '3e-3' },
    'sample-length': { type: 'string', default: '300' },
    seed: { type: 'string', default: '1337' },
  },
});
const steps = Number(args.steps);
const batchSize = Number(args['batch-size']);
const contextLength = Number(args['context-length']);
const seed = Number(args.seed);

const backend = await initBackend();
console.log(`backend: ${backend.name}${backend.skipped.length ? ` (skipped: ${backend.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : ''}`);

const text = loadBrownCorpus();
const tokenizer = CharTokenizer.fromText(text);
const ids = Int32Array.from(tokenizer.encode(text));
const split = Math.floor(ids.length * 0.95);
const train = ids.subarray(0, split);
const valid = ids.subarray(split);
console.log(`corpus: Brown, ${text.length.toLocaleString()} characters, vocabulary of ${tokenizer.vocabSize} symbols`);

const model = new GPTCausalLM({
  vocabSize: tokenizer.vocabSize, contextLength, seed,
  hiddenSize: Number(args['hidden-size']), numLayers: Number(args.layers), numHeads: Number(args.heads),
});
console.log(`model: GPT, ${model.numParameters().toLocaleString()} parameters (D${model.config.hiddenSize} L${model.config.numLayers} H${model.config.numHeads} T${contextLength})`);

const peak = Number(args['learning-rate']);
const optimizer = new AdamW(model.namedParameters(), {
  learningRate: cosineWithWarmup({ baseLr: peak, warmupSteps: Math.min(100, Math.floor(steps / 10)), totalSteps: steps, minLr: peak / 10 }),
  beta1: 0.9, beta2: 0.99, weightDecay: 0.1,
});
const rng = new Rng(seed);
await trainLoop(model, {
  optimizer, steps, maxGradNorm: 1, logEvery: 25,
  nextBatch: () => sampleWindows(train, { batchSize, seqLength: contextLength, rng }),
  tokensInBatch: (b) => b.batchSize * b.seqLength,
  onLog: (log) => console.log(
    `step ${String(log.step).padStart(5)}  loss ${log.loss.toFixed(3)}  lr ${log.learningRate.toExponential(2)}  ` +
    `${Math.round(log.tokensPerSecond).toLocaleString()} tok/s  ${log.msPerStep.toFixed(0)} ms/step`),
});

const validRng = new Rng(seed + 1);
let validLoss = 0;
const validBatches = 8;
for (let i = 0; i < validBatches; i++) {
  const loss = model.computeLoss(sampleWindows(valid, { batchSize, seqLength: contextLength, rng: validRng }), false);
  validLoss += (await loss.data())[0] as number / validBatches;
  loss.dispose();
}
console.log(`validation loss ${validLoss.toFixed(3)} (perplexity ${Math.exp(validLoss).toFixed(2)} per character)`);

for (const prompt of ['The jury said', 'She looked at the']) {
  const [continuation] = await model.generate([tokenizer.encode(prompt)], {
    maxNewTokens: Number(args['sample-length']), strategy: 'sample', temperature: 0.8, topK: 20, seed,
  });
  console.log(`\n--- ${prompt}${tokenizer.decode(continuation ?? [])}`);
}
model.dispose();
optimizer.dispose();
console.log(`\ntensors left: ${tf.memory().numTensors}`);
