// Trains a few GPT variants on the same data with the same seed and step budget, then compares
// them: parameters, final and best validation loss, perplexity, tokens/s and wall time. Variants:
// `narrow` (hidden size H, constant LR), `wide` (2H, constant LR) and `wide-cosine` (2H, cosine
// schedule with warmup). With --reports, each run also writes an HTML training report.
//
//   npx tsx examples/compare-models.ts                                # Song poems, 300 steps each
//   npx tsx examples/compare-models.ts --reports runs/compare --max-steps 1000
//   npx tsx examples/compare-models.ts --variants narrow,wide-cosine --out compare.md
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AdamW, ConfigError, GPTCausalLM, HtmlReport, Rng, Trainer, cosineWithWarmup, initBackend, randomWindowSource, sampleWindows,
  trainLoop, type Callback, type LearningRateSchedule,
} from 'wordforge';
import { loadPoemCorpus } from './poem-corpus.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: new URL('../../shared/data/song100.txt', import.meta.url).pathname },
    variants: { type: 'string', default: 'narrow,wide,wide-cosine' },
    'max-steps': { type: 'string', default: '300' },
    'eval-every': { type: 'string', default: '100' },
    'hidden-size': { type: 'string', default: '32' },
    layers: { type: 'string', default: '2' },
    'context-length': { type: 'string', default: '64' },
    'batch-size': { type: 'string', default: '8' },
    'learning-rate': { type: 'string', default: '3e-3' },
    seed: { type: 'string', default: '0' },
    reports: { type: 'string' },
    out: { type: 'string', default: 'compare-models.md' },
  },
});
const maxSteps = Number(args['max-steps']);
const hiddenSize = Number(args['hidden-size']);
const contextLength = Number(args['context-length']);
const batchSize = Number(args['batch-size']);
const baseLr = Number(args['learning-rate']);
const minLr = Number((baseLr / 10).toPrecision(6));
const seed = Number(args.seed);

/** A model width and a learning-rate schedule to try. */
interface Variant {
  readonly hiddenSize: number;
  readonly schedule: string;
  readonly learningRate: number | LearningRateSchedule;
}

const VARIANTS: Readonly<Record<string, Variant>> = {
  narrow: { hiddenSize, schedule: `constant ${baseLr}`, learningRate: baseLr },
  wide: { hiddenSize: 2 * hiddenSize, schedule: `constant ${baseLr}`, learningRate: baseLr },
  'wide-cosine': {
    hiddenSize: 2 * hiddenSize, schedule: `cosine ${baseLr} → ${minLr}, warmup ${Math.ceil(maxSteps / 10)}`,
    learningRate: cosineWithWarmup({ baseLr, warmupSteps: Math.ceil(maxSteps / 10), totalSteps: maxSteps, minLr }),
  },
};
const names = args.variants.split(',').map((name) => name.trim());
for (const name of names) {
  if (!(name in VARIANTS)) throw new ConfigError(`unknown variant "${name}" (known: ${Object.keys(VARIANTS).join(', ')})`);
}

console.log(`backend: ${(await initBackend()).name}`);
const { tokenizer, train, validation } = loadPoemCorpus(args.data, { batchSize, seqLength: contextLength, validationBatches: 4 });

// A few throwaway steps first, so the first variant does not pay the backend's warm-up in its tokens/s.
const warmUpModel = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength, hiddenSize, numLayers: 1, numHeads: 4, seed });
const warmUpOptimizer = new AdamW(warmUpModel.namedParameters(), { learningRate: baseLr });
const warmUpRng = new Rng(seed);
await trainLoop(warmUpModel, { optimizer: warmUpOptimizer, steps: 3, nextBatch: () => sampleWindows(train, { batchSize, seqLength: contextLength, rng: warmUpRng }) });
warmUpModel.dispose();
warmUpOptimizer.dispose();

interface RunResult {
  readonly name: string;
  readonly variant: Variant;
  readonly parameters: number;
  readonly finalEvalLoss: number;
  readonly bestEvalLoss: number;
  readonly bestStep: number;
  readonly tokensPerSecond: number;
  readonly wallSeconds: number;
}

const results: RunResult[] = [];
for (const name of names) {
  const variant = VARIANTS[name] as Variant;
  const modelConfig = { vocabSize: tokenizer.vocabSize, contextLength, hiddenSize: variant.hiddenSize, numLayers: Number(args.layers), numHeads: 4, seed };
  const model = new GPTCausalLM(modelConfig);
  const optimizer = new AdamW(model.namedParameters(), { learningRate: variant.learningRate, weightDecay: 0.1 });
  const callbacks: Callback[] = args.reports === undefined ? [] : [new HtmlReport({
    path: `${args.reports}/${name}/report.html`, title: `compare-models: ${name}`, logScaleLoss: true,
    config: { ...modelConfig, schedule: variant.schedule, maxSteps, batchSize, data: args.data },
  })];
  const trainer = new Trainer({
    model, optimizer, maxSteps, maxGradNorm: 1, logEvery: Math.max(1, Math.floor(maxSteps / 20)), callbacks,
    train: randomWindowSource(train, { batchSize, seqLength: contextLength, seed }), // the same batches for every variant
    tokensInBatch: (b) => b.batchSize * b.seqLength,
    evaluation: { batches: () => validation, every: Number(args['eval-every']) },
  });
  const started = performance.now();
  const state = await trainer.train();
  const wallSeconds = (performance.now() - started) / 1000;
  const evalLosses = state.logHistory.filter((e) => e.metrics.eval_loss !== undefined).map((e) => [e.step, e.metrics.eval_loss as number] as const);
  const best = evalLosses.reduce((a, b) => (b[1] < a[1] ? b : a));
  const speeds = state.logHistory.map((e) => e.metrics.tokens_per_second).filter((v): v is number => v !== undefined);
  results.push({
    name, variant, parameters: model.namedParameters().reduce((n, [, v]) => n + v.size, 0),
    finalEvalLoss: (evalLosses.at(-1) as readonly [number, number])[1], bestEvalLoss: best[1], bestStep: best[0],
    tokensPerSecond: speeds.reduce((s, v) => s + v, 0) / speeds.length, wallSeconds,
  });
  console.log(`${name}: eval loss ${results.at(-1)!.finalEvalLoss.toFixed(4)} after ${state.step} steps (${wallSeconds.toFixed(1)} s)`);
  model.dispose();
  optimizer.dispose();
}

const header = ['variant', 'hidden size', 'schedule', 'parameters', 'final eval loss', 'perplexity', 'best eval loss (step)', 'tokens/s', 'wall time (s)'];
const rows = results.map((r) => [
  r.name, String(r.variant.hiddenSize), r.variant.schedule, r.parameters.toLocaleString('en'), r.finalEvalLoss.toFixed(4),
  Math.exp(r.finalEvalLoss).toFixed(3), `${r.bestEvalLoss.toFixed(4)} (${r.bestStep})`, r.tokensPerSecond.toFixed(0), r.wallSeconds.toFixed(1),
]);
const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const report = `# Model comparison\n\n${maxSteps} steps each, batch ${batchSize} × ${contextLength} tokens, seed ${seed}, data ${args.data}.\n\n${table}\n`;
writeFileSync(args.out, report);
console.log(`\n${report}`);
if (args.reports !== undefined) console.log(`HTML reports: ${names.map((name) => `${args.reports}/${name}/report.html`).join(', ')}`);
