// Trains a character-level GPT on Tang poems with the full Trainer: cosine schedule with warmup,
// early stopping on validation loss, TensorBoard and CSV logs, checkpoints, and resumption.
//
//   npx tsx examples/train-gpt.ts                      # trains, writes runs/tang/
//   npx tsx examples/train-gpt.ts --resume             # continues from the latest checkpoint
//   npx tsx examples/train-gpt.ts --data ../shared/data/song100.txt --max-steps 2000
//   tensorboard --logdir runs                          # if you have TensorBoard
import { parseArgs } from 'node:util';
import {
  AdamW, EarlyStopping, GPTCausalLM, MetricsLogger, ProgressBar, TensorBoardLogger, Trainer, cosineWithWarmup, initBackend,
  randomWindowSource,
} from 'wordforge';
import { TANG_POEMS, loadPoemCorpus } from './poem-corpus.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: TANG_POEMS },
    out: { type: 'string', default: 'runs/tang' },
    'max-steps': { type: 'string', default: '600' },
    'eval-every': { type: 'string', default: '100' },
    resume: { type: 'boolean', default: false },
  },
});
const maxSteps = Number(args['max-steps']);
const contextLength = 64;
const batchSize = 16;

const backend = await initBackend();
console.log(`backend: ${backend.name}`);
const { text, tokenizer, train, validation } = loadPoemCorpus(args.data, { batchSize, seqLength: contextLength, validationBatches: 4 });
console.log(`${text.length.toLocaleString()} characters, ${tokenizer.vocabSize} symbols`);

const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength, hiddenSize: 128, numLayers: 3, numHeads: 4, dropout: 0 });
const optimizer = new AdamW(model.namedParameters(), {
  learningRate: cosineWithWarmup({ baseLr: 2e-3, warmupSteps: Math.min(50, maxSteps), totalSteps: maxSteps, minLr: 2e-4 }),
  beta2: 0.99, weightDecay: 0.1,
});
const prompt = tokenizer.encode('春');
const trainer = new Trainer({
  model, optimizer, maxSteps, maxGradNorm: 1, logEvery: 20,
  train: randomWindowSource(train, { batchSize, seqLength: contextLength, seed: 0 }),
  tokensInBatch: (b) => b.batchSize * b.seqLength,
  evaluation: { batches: () => validation, every: Number(args['eval-every']) },
  checkpoint: { dir: `${args.out}/checkpoints`, every: Number(args['eval-every']), keepLast: 2, files: { 'tokenizer.json': JSON.stringify(tokenizer.toJSON()) } },
  callbacks: [
    new ProgressBar(),
    new EarlyStopping({ monitor: 'eval_loss', patience: 3, restoreBestWeights: true }),
    new MetricsLogger({ path: `${args.out}/metrics.csv`, format: 'csv' }),
    new TensorBoardLogger({
      logDir: `${args.out}/tensorboard`,
      sample: async () => tokenizer.decode([...prompt, ...(await model.generate([prompt], { maxNewTokens: 48, strategy: 'sample', topK: 10, seed: 1 }))[0]!]),
    }),
  ],
});
const state = await trainer.train(args.resume ? 'latest' : undefined);
console.log(`stopped at step ${state.step}: ${state.stopReason}; best eval_loss ${state.best?.value.toFixed(3)} at step ${state.best?.step}`);
const [poem] = await model.generate([prompt], { maxNewTokens: 64, strategy: 'sample', temperature: 0.8, topK: 10, seed: 7 });
console.log(tokenizer.decode([...prompt, ...poem!]));
model.dispose();
optimizer.dispose();
