// Random search over the learning rate and width of a tiny character-level GPT on Tang poems, with
// median pruning of bad trials and a results table rewritten after every trial.
//
//   npx tsx examples/hyperparameter-search.ts                   # 6 trials, writes runs/search/results.csv
//   npx tsx examples/hyperparameter-search.ts --trials 12 --max-steps 200
import { parseArgs } from 'node:util';
import {
  AdamW, GPTCausalLM, Trainer, choice, hyperparameterSearch, initBackend, logUniform, medianPruner, randomWindowSource,
} from 'wordforge';
import { TANG_POEMS, loadPoemCorpus } from './poem-corpus.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: TANG_POEMS },
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
const { tokenizer, train, validation } = loadPoemCorpus(args.data, { batchSize, seqLength: contextLength, validationBatches: 2 });

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
        train: randomWindowSource(train, { batchSize, seqLength: contextLength, seed }),
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
