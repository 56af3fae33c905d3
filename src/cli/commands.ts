import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type InitBackendOptions } from '../backend/init-backend.js';
import { ProgressBar } from '../callbacks/progress-bar.js';
import { randomWindowSource } from '../data/random-window-source.js';
import { sampleWindows } from '../data/sample-windows.js';
import { decodeSafetensors } from '../io/safetensors-format.js';
import { GPTCausalLM } from '../models/gpt/gpt-causal-lm.js';
import { cosineWithWarmup } from '../schedules/cosine-with-warmup.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { trainTokenizer, type TrainTokenizerOptions } from '../tokenizers/trainers/train-tokenizer.js';
import { AdamW } from '../training/adamw.js';
import { evaluatePerplexity } from '../training/evaluate-perplexity.js';
import { Trainer } from '../training/trainer.js';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { ConfigError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';
import { loadTextCodec } from './tokenizer-file.js';

/** Parsed `--name value` options of one command. */
export type CommandOptions = Readonly<Record<string, string | boolean | undefined>>;

const TOKENIZER_FILE = 'tokenizer.json';

function numberOption(options: CommandOptions, name: string, fallback: number): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigError(`--${name} (${String(raw)}) must be a number`);
  return value;
}

/**
 * The {@link initBackend} options of a command: `--threads N` becomes `threads`, which initBackend
 * checks (a whole number from 1 to the cores; also when another backend than wasm runs).
 */
function backendOptions(options: CommandOptions): InitBackendOptions {
  return options.threads === undefined ? {} : { threads: numberOption(options, 'threads', 1) };
}

/** `wordforge inspect <folder | file.safetensors>`: config, parameter count and tensors. */
export async function inspect(path: string): Promise<void> {
  const isFile = path.endsWith('.safetensors');
  if (!isFile) console.log(await readFile(join(path, 'config.json'), 'utf8'));
  const { tensors, metadata } = decodeSafetensors(await readFile(isFile ? path : join(path, 'model.safetensors')));
  let total = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    total += size;
    console.log(`${name.padEnd(48)} ${t.dtype.padEnd(5)} [${t.shape.join(', ')}]`);
  }
  console.log(`${Object.keys(tensors).length} tensors, ${total.toLocaleString('en-US')} parameters${Object.keys(metadata).length ? `, metadata ${JSON.stringify(metadata)}` : ''}`);
}

/** `wordforge generate <model folder> --prompt text [--max-new-tokens n --temperature t --top-k k --seed s --threads n]`. */
export async function generateText(dir: string, options: CommandOptions): Promise<void> {
  const backend = await initBackend(backendOptions(options));
  const codec = await loadTextCodec(typeof options.tokenizer === 'string' ? options.tokenizer : join(dir, TOKENIZER_FILE));
  const model = await GPTCausalLM.load(dir);
  const prompt = typeof options.prompt === 'string' ? options.prompt : '';
  const ids = codec.encode(prompt);
  if (ids.length === 0) throw new ConfigError('--prompt must encode to at least one token');
  const temperature = numberOption(options, 'temperature', 0);
  process.stderr.write(`backend ${backend.name}\n`);
  process.stdout.write(prompt);
  const generated: number[] = [];
  let shown = '';
  await model.generate([ids], {
    maxNewTokens: numberOption(options, 'max-new-tokens', 200),
    ...(temperature > 0 ? { strategy: 'sample' as const, temperature, topK: numberOption(options, 'top-k', 40), seed: numberOption(options, 'seed', 0) } : {}),
    onToken: ([token]) => {
      generated.push(token as number);
      const text = codec.decode(generated);
      if (!text.endsWith('\uFFFD')) {
        process.stdout.write(text.slice(shown.length));
        shown = text;
      }
    },
  });
  process.stdout.write('\n');
  model.dispose();
}

/** `wordforge evaluate <model folder> --data file.txt [--stride n --threads n]`: perplexity of a text. */
export async function evaluate(dir: string, options: CommandOptions): Promise<void> {
  await initBackend(backendOptions(options));
  if (typeof options.data !== 'string') throw new ConfigError('evaluate needs --data <text file>');
  const codec = await loadTextCodec(typeof options.tokenizer === 'string' ? options.tokenizer : join(dir, TOKENIZER_FILE));
  const model = await GPTCausalLM.load(dir);
  const ids = codec.encode(await readFile(options.data, 'utf8'));
  const contextLength = model.config.contextLength;
  const result = await evaluatePerplexity(model, ids, { contextLength, stride: numberOption(options, 'stride', Math.max(1, contextLength / 2)) });
  console.log(JSON.stringify({ perplexity: result.perplexity, mean_nll: result.meanNll, tokens: result.tokenCount }));
  model.dispose();
}

/** The JSON config of `wordforge train`. */
interface TrainConfig {
  readonly data: string;
  readonly out: string;
  /** A tokenizer file to use (e.g. from `wordforge train-tokenizer`); default: characters of the data. */
  readonly tokenizer?: string;
  readonly model?: {
    hiddenSize?: number; numLayers?: number; numHeads?: number; contextLength?: number; dropout?: number;
    /** Activation recomputation while training (less memory, slower steps); not saved with the model. */
    gradientCheckpointing?: boolean;
  };
  readonly training?: { steps?: number; batchSize?: number; learningRate?: number; warmupSteps?: number; evalEvery?: number; seed?: number };
}

/**
 * `wordforge train <config.json> [--threads n]`: a GPT on a text file (characters, or the config's
 * tokenizer), saved with its tokenizer.
 */
export async function train(configPath: string, options: CommandOptions = {}): Promise<void> {
  const config = JSON.parse(await readFile(configPath, 'utf8')) as TrainConfig;
  if (typeof config.data !== 'string' || typeof config.out !== 'string') throw new ConfigError(`${configPath} needs "data" and "out" paths`);
  const checkpointing: unknown = config.model?.gradientCheckpointing;
  if (checkpointing !== undefined && typeof checkpointing !== 'boolean') {
    throw new ConfigError(`${configPath}: "model.gradientCheckpointing" (${JSON.stringify(checkpointing)}) must be true or false`);
  }
  const backend = await initBackend(backendOptions(options));
  const text = await readFile(config.data, 'utf8');
  if (config.tokenizer !== undefined && typeof config.tokenizer !== 'string') throw new ConfigError(`${configPath}: "tokenizer" must be a file path`);
  const charTokenizer = config.tokenizer === undefined ? CharTokenizer.fromText(text) : undefined;
  const tokenizer = charTokenizer ?? await loadTextCodec(config.tokenizer as string);
  const ids = Int32Array.from(tokenizer.encode(text));
  const t = { steps: 500, batchSize: 16, learningRate: 2e-3, warmupSteps: 50, evalEvery: 100, seed: 0, ...config.training };
  const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength: 64, hiddenSize: 128, numLayers: 3, numHeads: 4, ...config.model, seed: t.seed });
  const seqLength = model.config.contextLength;
  const split = Math.floor(ids.length * 0.9);
  const validation = Array.from({ length: 4 }, (_, i) => sampleWindows(ids.subarray(split), { batchSize: t.batchSize, seqLength, rng: new Rng(t.seed + 1 + i) }));
  const optimizer = new AdamW(model.namedParameters(), {
    learningRate: cosineWithWarmup({ baseLr: t.learningRate, warmupSteps: Math.min(t.warmupSteps, t.steps), totalSteps: t.steps }),
  });
  console.log(`backend ${backend.name}${backend.threads === undefined ? '' : ` (${backend.threads} thread${backend.threads === 1 ? '' : 's'})`}; ` +
    `${model.numParameters().toLocaleString('en-US')} parameters; ${ids.length.toLocaleString('en-US')} tokens` +
    `${model.config.gradientCheckpointing === true ? '; gradient checkpointing on' : ''}`);
  const state = await new Trainer({
    model, optimizer, maxSteps: t.steps, maxGradNorm: 1, logEvery: 10,
    train: randomWindowSource(ids.subarray(0, split), { batchSize: t.batchSize, seqLength, seed: t.seed }),
    tokensInBatch: (b) => b.batchSize * b.seqLength,
    evaluation: { batches: () => validation, every: t.evalEvery },
    callbacks: [new ProgressBar()],
  }).train();
  await model.save(config.out);
  if (charTokenizer) await writeFileAtomic(join(config.out, TOKENIZER_FILE), JSON.stringify(charTokenizer.toJSON()));
  else await copyFile(config.tokenizer as string, join(config.out, TOKENIZER_FILE));
  console.log(`saved ${config.out} (best eval_loss ${state.best?.value.toFixed(4)} at step ${state.best?.step})`);
  model.dispose();
  optimizer.dispose();
  if (tf.memory().numTensors > 0) process.stderr.write(`note: ${tf.memory().numTensors} tensors still allocated\n`);
}

const TOKENIZER_MODELS = ['byte-level', 'char-level', 'wordpiece', 'unigram'] as const;

/**
 * `wordforge train-tokenizer <out tokenizer.json> <text files...> [--model byte-level|char-level|wordpiece|unigram]
 * [--vocab-size n] [--min-frequency n] [--special-tokens a,b]`: trains a tokenizer on the files
 * (streamed) and saves it as a Hugging Face tokenizer.json.
 */
export async function trainTokenizerCommand(out: string, files: readonly string[], options: CommandOptions): Promise<void> {
  if (files.length === 0) throw new ConfigError('train-tokenizer needs at least one text file after the output path');
  const model = options.model ?? 'byte-level';
  if (!TOKENIZER_MODELS.includes(model as never)) {
    throw new ConfigError(`--model (${String(model)}) must be one of ${TOKENIZER_MODELS.join(', ')}`);
  }
  const special = typeof options['special-tokens'] === 'string' ? options['special-tokens'].split(',').filter((t) => t.length > 0) : [];
  const settings: TrainTokenizerOptions = {
    model: model as TrainTokenizerOptions['model'],
    vocabSize: numberOption(options, 'vocab-size', 8000),
    ...(options['min-frequency'] === undefined ? {} : { minFrequency: numberOption(options, 'min-frequency', 0) }),
    specialTokens: special,
  };
  const started = performance.now();
  const tokenizer = await trainTokenizer(settings, { files });
  await tokenizer.save(out);
  console.log(`trained a ${model} tokenizer of ${tokenizer.vocabSize.toLocaleString('en-US')} tokens on ${files.length} file(s) ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s; saved ${out}`);
}
