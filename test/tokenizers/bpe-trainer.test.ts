import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import {
  BYTE_TO_CHAR, learnBpe, loadTokenizer, trainTokenizer, type BpeTrainingProgress, type Tokenizer,
} from '../../src/tokenizers/index.js';
import { brownLines, HARD_TEXTS, tangLines } from './texts.js';

interface HFEncoding { getIds(): number[]; getTokens(): string[] }
interface HFTokenizer {
  setPreTokenizer(p: unknown): void;
  train(files: string[]): void;
  save(path: string): void;
  encode(text: string): Promise<HFEncoding>;
}
const hf = createRequire(import.meta.url)('tokenizers') as {
  Tokenizer: { new (model: unknown): HFTokenizer; fromFile(path: string): HFTokenizer };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): unknown;
  whitespacePreTokenizer(): unknown;
};

// About 300 KB: Brown news and fiction sentences, then Tang poems (Chinese). Lines keep their "\n", as HF reads files.
const lines = [...brownLines(2500), ...tangLines().slice(0, 800)].map((l) => `${l}\n`);
const text = lines.join('');
const dir = mkdtempSync(join(tmpdir(), 'wf-bpe-trainer-'));
const corpusFile = join(dir, 'corpus.txt');
writeFileSync(corpusFile, text);
const heldOut = [...brownLines(3000).slice(2500), ...tangLines().slice(800, 900), ...HARD_TEXTS];

interface ModelJSON { vocab: Record<string, number>; merges: [string, string][] }

/** Hugging Face's BpeTrainer with its defaults (the only options npm `tokenizers` exposes): 30,000 entries, min frequency 0. */
function trainWithHF(preTokenizer: unknown): ModelJSON {
  const tokenizer = new hf.Tokenizer(hf.BPE.empty());
  tokenizer.setPreTokenizer(preTokenizer);
  tokenizer.train([corpusFile]);
  const path = join(dir, `hf-${Math.random()}.json`);
  tokenizer.save(path);
  return (createRequire(import.meta.url)(path) as { model: ModelJSON }).model;
}

const modelOf = (tokenizer: Tokenizer): ModelJSON => tokenizer.toJSON().model as unknown as ModelJSON;
const byId = (vocab: Record<string, number>): string[] => Object.entries(vocab).sort((a, b) => a[1] - b[1]).map(([t]) => t);

async function expectSameEncodings(ours: Tokenizer, texts: readonly string[]): Promise<void> {
  const path = join(dir, `ours-${Math.random()}.json`);
  await ours.save(path);
  const theirs = hf.Tokenizer.fromFile(path);
  const reloaded = await loadTokenizer(path);
  const mismatches = [];
  for (const t of texts) {
    const e = await theirs.encode(t);
    const expected = JSON.stringify([e.getIds(), e.getTokens()]);
    if (JSON.stringify([ours.encode(t).ids, ours.encode(t).tokens]) !== expected) mismatches.push(t);
    else if (JSON.stringify([reloaded.encode(t).ids, reloaded.encode(t).tokens]) !== expected) mismatches.push(`reloaded: ${t}`);
  }
  expect(mismatches.slice(0, 3)).toEqual([]);
}

describe('BPE training against Hugging Face tokenizers (npm tokenizers BpeTrainer)', () => {
  const hfByteLevel = trainWithHF(hf.byteLevelPreTokenizer(false, true));

  it('byte-level, same options: identical vocabulary (ids included) and merges in the same order', async () => {
    const ours = modelOf(await trainTokenizer({ vocabSize: 30_000, minFrequency: 0, initialAlphabet: [] }, text));
    expect(ours.merges.length).toBeGreaterThan(20_000);
    expect(ours.merges).toEqual(hfByteLevel.merges);
    expect(ours.vocab).toEqual(hfByteLevel.vocab);
  });

  it('byte-level with vocab 1500, min frequency 2, special tokens and the 256-byte alphabet: the same merges, first to last', async () => {
    const specials = ['<|endoftext|>', '<pad>'];
    const tokenizer = await trainTokenizer({ vocabSize: 1500, minFrequency: 2, specialTokens: specials }, text);
    const ours = modelOf(tokenizer);
    const tokens = byId(ours.vocab);
    expect(tokens.length).toBe(1500);
    expect(tokens.slice(0, 2 + 256)).toEqual([...specials, ...[...BYTE_TO_CHAR].sort()]);
    // Training stops early but learns merges in the same order; ids shift by the specials and the unseen bytes.
    expect(ours.merges).toEqual(hfByteLevel.merges.slice(0, ours.merges.length));
    const seen = new Set(byId(hfByteLevel.vocab));
    const learned = tokens.filter((t) => !specials.includes(t) && seen.has(t));
    expect(learned).toEqual(byId(hfByteLevel.vocab).slice(0, learned.length));
    expect(tokenizer.added.tokens.map((t) => [t.content, t.id, t.special])).toEqual([['<|endoftext|>', 0, true], ['<pad>', 1, true]]);
    await expectSameEncodings(tokenizer, [...heldOut, 'one<|endoftext|>two<pad>']);
  });

  it('char-level (Whitespace pre-tokenizer), same options: identical vocabulary and merges', async () => {
    const theirs = trainWithHF(hf.whitespacePreTokenizer());
    const ours = await trainTokenizer({ model: 'char-level', vocabSize: 30_000 }, text);
    expect(modelOf(ours).merges).toEqual(theirs.merges);
    expect(modelOf(ours).vocab).toEqual(theirs.vocab);
    await expectSameEncodings(ours, heldOut.filter((t) => [...t].every((c) => /\s/u.test(c) || c in theirs.vocab)));
  });

  it('char-level with an end-of-word suffix and a subword prefix: HF loads it and encodes identically', async () => {
    // English only: the Chinese alphabet with its affixed forms alone would exceed 2000 entries.
    const tokenizer = await trainTokenizer({
      model: 'char-level', vocabSize: 2000, minFrequency: 2, endOfWordSuffix: '</w>', continuingSubwordPrefix: '##', specialTokens: ['[UNK]'],
    }, lines.slice(0, 2500));
    const { vocab, merges } = modelOf(tokenizer);
    expect(Object.keys(vocab).length).toBe(2000);
    for (const [a, b] of merges) {
      expect(b.startsWith('##')).toBe(true);
      expect(a.endsWith('</w>')).toBe(false);
      expect(vocab[a + b.slice(2)]).toBeDefined();
    }
    expect(merges.some(([, b]) => b.endsWith('</w>'))).toBe(true);
    const ids = tokenizer.encode('the lowest').tokens;
    expect(ids.at(-1)!.endsWith('</w>')).toBe(true);
    await expectSameEncodings(tokenizer, heldOut.filter((t) => [...t].every((c) => /\s/u.test(c) || c in vocab)));
  });
});

describe('trainTokenizer input, progress and options', () => {
  it('streams: an async iterable of lines, strings and files give the result of one string', async () => {
    const options = { vocabSize: 1200, minFrequency: 2 };
    const expected = modelOf(await trainTokenizer(options, text));
    async function* stream(): AsyncGenerator<string> {
      for (const line of lines) yield line;
    }
    expect(modelOf(await trainTokenizer(options, stream()))).toEqual(expected);
    expect(modelOf(await trainTokenizer(options, lines))).toEqual(expected);
    expect(modelOf(await trainTokenizer(options, { files: [corpusFile] }))).toEqual(expected);
  });

  it('reports progress through a callback', async () => {
    const events: BpeTrainingProgress[] = [];
    await trainTokenizer({ vocabSize: 1000, onProgress: (p) => events.push(p) }, lines.slice(0, 500));
    expect(events.some((e) => e.stage === 'words' && e.done === 500)).toBe(true);
    expect(events.at(-1)).toEqual({ stage: 'merges', done: 1000, total: 1000 });
  });

  it('rejects bad options with typed errors naming the value', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ vocabSize: 0 }, /vocabSize .* got 0/], [{ vocabSize: 2.5 }, /got 2.5/], [{ minFrequency: -1 }, /minFrequency .* got -1/],
      [{ maxTokenLength: 0 }, /maxTokenLength .* got 0/], [{ limitAlphabet: -3 }, /limitAlphabet .* got -3/],
      [{ initialAlphabet: ['ab'] }, /"ab"/], [{ specialTokens: [''] }, /specialTokens .* ""/],
      [{ model: 'word' }, /"word"/], [{ endOfWordSuffix: '</w>' }, /byte-level .* endOfWordSuffix/],
    ];
    for (const [options, message] of bad) {
      const error = await trainTokenizer(options, 'a b').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('learnBpe on word counts (Hugging Face trainer.rs unit cases)', () => {
  it('merges the most frequent pair, ties to the smaller ids, and stops below minFrequency', () => {
    const counts = new Map([['roses', 1], ['are', 2], ['red', 1], ['voilets', 1], ['blue', 1], ['BERT', 1], ['is', 2], ['big', 1], ['and', 1], ['so', 1], ['GPT-2', 1]]);
    const { vocab, merges } = learnBpe(counts, { minFrequency: 2 });
    expect(merges).toEqual([['r', 'e'], ['a', 're'], ['i', 's']]);
    expect([...vocab].sort((a, b) => a[1] - b[1]).map(([t]) => t).join(' ')).toBe('- 2 B E G P R T a b d e g i l n o r s t u v re are is');
  });

  it('never learns tokens longer than maxTokenLength', () => {
    const words = ['sin', 'Sin', 'Lon', 'Ano', '짧은한', '긴한글', '短字符', '长字符', '短い文', '長い文', 'so', 'GP'];
    const { vocab } = learnBpe(new Map(words.map((w) => [w, 2])), { maxTokenLength: 2 });
    expect(Object.fromEntries(vocab)).toEqual({
      A: 0, G: 1, L: 2, P: 3, S: 4, i: 5, n: 6, o: 7, s: 8, い: 9, 字: 10, 文: 11, 短: 12, 符: 13, 長: 14, 长: 15, 글: 16, 긴: 17, 은: 18, 짧: 19,
      한: 20, in: 21, い文: 22, 字符: 23, An: 24, GP: 25, Lo: 26, so: 27, 긴한: 28, 은한: 29,
    });
  });

  it('keeps the limitAlphabet most frequent characters and skips the others', () => {
    const { vocab, merges } = learnBpe(new Map([['aab', 3], ['cc', 1]]), { limitAlphabet: 2 });
    expect([...vocab.keys()]).toEqual(['a', 'b', 'aa', 'aab']);
    expect(merges).toEqual([['a', 'a'], ['aa', 'b']]);
  });
});
