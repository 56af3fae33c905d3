import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { learnUnigram, loadTokenizer, seedUnigramPieces, trainTokenizer, type Tokenizer } from '../../src/tokenizers/index.js';
import { compareEncodings, hf, type HFTrainable } from './hf-reference.js';
import { brownLines, HARD_TEXTS, tangLines } from './texts.js';

const HF = hf as unknown as {
  Tokenizer: { new (model: unknown): HFTrainable };
  Unigram: { empty(): unknown };
  metaspacePreTokenizer(): unknown;
};

// About 130 KB: Brown sentences and Tang poems (each poem line one Metaspace word); lines keep their "\n", as HF reads files.
const text = [...brownLines(1500), ...tangLines().slice(0, 1200)].map((l) => `${l}\n`).join('');
const dir = mkdtempSync(join(tmpdir(), 'wf-unigram-trainer-'));
const corpusFile = join(dir, 'corpus.txt');
writeFileSync(corpusFile, text);
const heldOut = [...brownLines(2000).slice(1500), ...tangLines().slice(1200, 1400)];

type Vocab = [string, number][];
const vocabOf = (tokenizer: Tokenizer): Vocab => (tokenizer.toJSON().model as unknown as { vocab: Vocab }).vocab;

/** HF's UnigramTrainer with its defaults (the only options npm `tokenizers` exposes): 8,000 pieces, no unk. */
function trainWithHF(): string {
  const tokenizer = new HF.Tokenizer(HF.Unigram.empty());
  tokenizer.setPreTokenizer(HF.metaspacePreTokenizer());
  tokenizer.train([corpusFile]);
  const path = join(dir, 'hf.json');
  tokenizer.save(path);
  return path;
}

/** Encoded length and log likelihood (sum of the chosen pieces' scores) of texts. */
function measure(tokenizer: Tokenizer, texts: readonly string[]): { tokens: number; logLikelihood: number } {
  const score = new Map(vocabOf(tokenizer));
  let tokens = 0;
  let logLikelihood = 0;
  for (const t of texts) {
    for (const piece of tokenizer.encode(t).tokens) tokens++, (logLikelihood += score.get(piece)!);
  }
  return { tokens, logLikelihood };
}

describe('Unigram training against Hugging Face tokenizers (npm tokenizers UnigramTrainer)', () => {
  const hfPath = trainWithHF();
  const theirs = (JSON.parse(readFileSync(hfPath, 'utf8')) as { model: { vocab: Vocab } }).model.vocab;

  it('same options: the same 8,000 pieces with the same scores, and the same encodings of held-out text', async () => {
    const ours = await trainTokenizer({ model: 'unigram' }, text);
    const pieces = vocabOf(ours);
    expect(pieces.length).toBe(8000);
    expect(theirs.length).toBe(8000);
    // Measured: all 8,000 pieces shared. HF's result hangs on floating-point sums in hash-map order,
    // so the bound leaves room for a near-tie in pruning to go the other way on another corpus.
    const theirScore = new Map(theirs);
    const shared = pieces.filter(([p]) => theirScore.has(p));
    expect(shared.length / theirs.length).toBeGreaterThanOrEqual(0.99);
    // Scores agree to rounding, except characters EM dropped and finalize re-adds at the lowest score
    // plus 0.0001 per character already added, in HF's hash-set order (ours: code point order).
    const minScore = Math.min(...pieces.map(([, s]) => s));
    const readded = shared.filter(([, s]) => s >= minScore && s < minScore + 0.05);
    const rest = shared.filter(([p, s]) => !readded.some(([q]) => q === p) && Math.abs(s - theirScore.get(p)!) > 1e-9);
    expect(rest).toEqual([]);
    for (const [p, s] of readded) expect(Math.abs(s - theirScore.get(p)!)).toBeLessThan(0.05);

    const theirTokenizer = await loadTokenizer(hfPath);
    const alphabet = new Set(pieces.map(([p]) => p));
    const covered = heldOut.filter((t) => [...t.replaceAll(' ', '▁')].every((c) => alphabet.has(c)));
    expect(covered.length).toBeGreaterThan(500);
    const a = measure(ours, covered);
    const b = measure(theirTokenizer, covered);
    // Measured: identical lengths and likelihoods; tolerance 0.5%.
    expect(Math.abs(a.tokens - b.tokens) / b.tokens).toBeLessThan(0.005);
    expect(Math.abs(a.logLikelihood - b.logLikelihood) / Math.abs(b.logLikelihood)).toBeLessThan(0.005);
    const same = covered.filter((t) => JSON.stringify(ours.encode(t).tokens) === JSON.stringify(theirTokenizer.encode(t).tokens));
    expect(same.length / covered.length).toBeGreaterThan(0.99);
  });

  it('with unk and special tokens: HF loads the saved tokenizer and encodes identically, unknown characters included', async () => {
    const small = [...brownLines(600), ...tangLines().slice(0, 100)].map((l) => `${l}\n`).join('');
    const ours = await trainTokenizer({ model: 'unigram', vocabSize: 1500, unkToken: '<unk>', specialTokens: ['<s>', '</s>'] }, small);
    const pieces = vocabOf(ours);
    expect(pieces.slice(0, 3)).toEqual([['<unk>', 0], ['<s>', 0], ['</s>', 0]]);
    expect(ours.toJSON().model).toMatchObject({ type: 'Unigram', unk_id: 0 });
    expect(ours.added.tokens.map((t) => [t.content, t.id])).toEqual([['<s>', 1], ['</s>', 2]]);
    // Every corpus character is kept, and the best pieces fill up the 1,500.
    const chars = new Set([...small.replaceAll(' ', '▁')]);
    expect(pieces.filter(([p]) => chars.has(p)).length).toBe(chars.size);
    expect(pieces.length).toBe(1503);
    const path = join(dir, 'ours.json');
    await ours.save(path);
    const theirs = hf.Tokenizer.fromFile(path);
    const failures = [];
    for (const t of [...heldOut.slice(0, 150), ...HARD_TEXTS.filter((x) => x.length > 0), '<s>hello</s> 😀']) failures.push(await compareEncodings(ours, theirs, t, null));
    expect(failures.filter((f) => f !== null)).toEqual([]);
    expect(ours.decode(ours.encode('the quick brown fox').ids)).toBe('the quick brown fox');
  });
});

describe('learnUnigram and its seeds (Hugging Face unigram/trainer.rs unit cases)', () => {
  it('seeds: characters by weighted count, then suffix-tree substrings by occurrences x length, as log probabilities', () => {
    const seeds = seedUnigramPieces(new Map([['This is a', 1], ['こんにちは友達', 1]]), 16, 1_000_000);
    expect(seeds.map(([p]) => p)).toEqual(['s', 'i', ' ', '達', '友', 'ん', 'は', 'に', 'ち', 'こ', 'h', 'a', 'T', 'is ', 's ']);
    const expected = [...Array(3).fill(-2.5649493574615367), ...Array(10).fill(-3.258096538021482), -1.4663370687934272, -1.8718021769015916];
    seeds.forEach(([, score], i) => expect(score).toBeCloseTo(expected[i]!, 12));
    // 'is' always precedes ' ' (not a suffix tree node); pieces longer than maxPieceLength never seed.
    expect(seedUnigramPieces(new Map([['This is a', 1]]), 2, 100).map(([p]) => p)).toEqual(['s', 'i', ' ', 'h', 'a', 'T', 's ']);
    expect(seedUnigramPieces(new Map([['abab', 3]]), 16, 2).map(([p]) => p)).toEqual(['b', 'a', 'ab']);
  });

  it('unk token: prepended as id 0, or left where it is among the special tokens, or absent', () => {
    const counts = new Map([['The', 12], ['are', 11]]);
    expect(learnUnigram(counts, { specialTokens: ['[SEP]', '[CLS]'], unkToken: '[UNK]' }).vocab.slice(0, 3)).toEqual([['[UNK]', 0], ['[SEP]', 0], ['[CLS]', 0]]);
    const kept = learnUnigram(counts, { specialTokens: ['[SEP]', '[CLS]', '[UNK]'], unkToken: '[UNK]' });
    expect(kept.vocab.slice(0, 3)).toEqual([['[SEP]', 0], ['[CLS]', 0], ['[UNK]', 0]]);
    expect(kept.unkId).toBe(2);
    const plain = learnUnigram(counts);
    expect(plain.vocab[0]![0]).toBe('e');
    expect(plain.unkId).toBeNull();
    expect(learnUnigram(counts, { specialTokens: ['[SEP]', '[CLS]'] }).vocab.slice(0, 2)).toEqual([['[SEP]', 0], ['[CLS]', 0]]);
  });

  it('keeps every character of the words and of initialAlphabet', () => {
    const { vocab } = learnUnigram(new Map([['こんにちは友達', 1]]), { initialAlphabet: ['a', 'b', 'c', 'd', 'e', 'f'], vocabSize: 5 });
    expect(vocab.map(([p]) => p).sort()).toEqual([...'abcdefこちにはん友達'].sort());
  });

  it('rejects bad options with typed errors naming the value', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ shrinkingFactor: 1.5 }, /shrinkingFactor .* got 1.5/], [{ nSubIterations: 0 }, /nSubIterations .* got 0/],
      [{ maxPieceLength: 2.5 }, /maxPieceLength .* got 2.5/], [{ vocabSize: -1 }, /vocabSize .* got -1/],
      [{ initialAlphabet: ['ab'] }, /"ab"/], [{ unkToken: '' }, /got ""/], [{ minFrequency: 2 }, /unigram model takes no minFrequency/],
    ];
    for (const [options, message] of bad) {
      const error = await trainTokenizer({ model: 'unigram', ...options }, 'a b').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
