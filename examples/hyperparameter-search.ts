// Random search over the learning rate and width of a tiny character-level GPT on Tang poems, with
// median pruning of bad trials and a results table rewritten after every trial.
//
//   npx tsx examples/hyperparameter-search.ts                   # 6 trials, writes runs/search/results.csv
//   npx tsx examples/hyperparameter-search.ts --trials 12 --max-steps 200
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AdamW, CharTokenizer, GPTCausalLM, Rng, Trainer, choice, hyperparameterSearch, initBackend, logUniform, medianPruner,
  randomWindowSource, sampleWindows,
} from 'wordforge';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: new URL('../../shared/data/tang300.txt', import.meta.url).pathname },
    out: { type: 'string', default: 'runs/search/results.csv' },
    trials: { type: 'string', default: '6' },
    'max-steps': { type: 'string', default: '60' },
  },
});
const maxSteps = Number(args['max-steps']);
const contextLength = 32;
const batchSize = 8;

const backend = await initBackend();
console.log(`backend: ${backend.name}`);
const text = readFileSync(args.data, 'utf8').split(/^%$/m).map((p) => p.trim()).filter(Boolean).join('\n\n');
const tokenizer = CharTokenizer.fromText(text);
const ids = Int32Array.from(tokenizer.encode(text));
const split = Math.floor(ids.length * 0.9);
const validation = Array.from({ length: 2 }, (_, i) =>
  sampleWindows(ids.subarray(split), { batchSize, seqLength: contextLength, rng: new Rng(1000 + i) }));

const space = { learningRate: logUniform(3e-4, 3e-2), hiddenSize: choice([32, 64]) };
const result = await hyperparameterSearch({
  space, strategy: 'random', trials: Number(args.trials), seed: 1,
  objective: { metric: 'eval_loss', mode: 'min' },
  pruner: medianPruner({ startupTrials: 2, warmupSteps: 20 }),
  resultsPath: args.out,
  runTrial: async (config, { seed, pruningCallback }) => {
    const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength, hiddenSize: config.hiddenSize, numLayers: 2, numHeads: 4, seed });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: config.learningRate, weightDecay: 0.1 });
    try {
      return await new Trainer({
        model, optimizer, maxSteps, maxGradNorm: 1,
        train: randomWindowSource(ids.subarray(0, split), { batchSize, seqLength: contextLength, seed }),
        tokensInBatch: (b) => b.batchSize * b.seqLength,
        evaluation: { batches: () => validation, every: 20 },
        callbacks: [pruningCallback],
      }).train();
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
  onTrialEnd: (t) => {
    const lr = t.config.learningRate.toExponential(2);
    console.log(`trial ${t.index}: lr ${lr} width ${t.config.hiddenSize} -> ${t.status}${t.value === undefined ? '' : ` eval_loss ${t.value.toFixed(3)} at step ${t.step}`} (${(t.durationMs / 1000).toFixed(1)} s)`);
  },
});
console.log(result.best
  ? `best: trial ${result.best.index}, ${JSON.stringify(result.bestConfig)}, eval_loss ${result.best.value?.toFixed(3)}; table in ${args.out}`
  : `no trial completed; see ${args.out}`);
