import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from '../../../examples/brown-corpus.js';
import { BlockPacker, type PackSummary } from '../../../src/data/pack/block-packer.js';
import { packSequences } from '../../../src/data/pack/pack-sequences.js';
import { DocumentTokenizeError } from '../../../src/data/pack/pack-errors.js';
import { tokenizeDocuments, type TokenizeSummary } from '../../../src/data/pack/tokenize-documents.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { tokenizerFromJSON } from '../../../src/tokenizers/tokenizer-from-json.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';

const poems = readFileSync(new URL('../../../../shared/data/tang300.txt', import.meta.url), 'utf8')
  .split(/^%$/m).map((p) => p.trim()).filter(Boolean);
const poemTokenizer = CharTokenizer.fromText(poems.join('\n'), { specialTokens: ['<pad>', '<|endoftext|>'] });
const [PAD, EOS] = [0, 1];
const brownLines = loadBrownCorpus(4).split('\n');
const brownTokenizer = CharTokenizer.fromText(brownLines.join('\n'), { specialTokens: ['<pad>', '<|endoftext|>'] });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Splits a token stream at EOS separators. */
function splitAtEos(tokens: number[]): number[][] {
  const docs: number[][] = [[]];
  for (const t of tokens) {
    if (t === EOS) docs.push([]);
    else docs[docs.length - 1]!.push(t);
  }
  return docs.slice(0, -1);
}

describe('tokenizeDocuments', () => {
  it('tokenises documents in order, appends EOS and reports counts', async () => {
    let summary: TokenizeSummary | undefined;
    const ids = await collect(tokenizeDocuments(poems, poemTokenizer, { eosId: EOS, onSummary: (s) => (summary = s) }));
    expect(ids).toHaveLength(poems.length);
    ids.forEach((doc, i) => expect([...doc]).toEqual([...poemTokenizer.encode(poems[i]!), EOS]));
    expect(summary).toEqual({ documents: poems.length, tokens: ids.reduce((n, d) => n + d.length - 1, 0), skipped: 0, errors: [] });
  });

  it('gives the same ids from worker threads, in order, with the same skip accounting', async () => {
    const cut = Math.floor(brownLines.length / 2);
    expect(cut).toBeGreaterThan(150);
    const docs = [...brownLines.slice(0, cut), 'ünknown ☃ character', ...brownLines.slice(cut)];
    const here: TokenizeSummary[] = [];
    const there: TokenizeSummary[] = [];
    const expected = await collect(tokenizeDocuments(docs, brownTokenizer, { eosId: EOS, onInvalid: 'skip', onSummary: (s) => here.push(s) }));
    const parallel = await collect(tokenizeDocuments((async function* () { yield* docs; })(), brownTokenizer,
      { eosId: EOS, workers: 2, batchDocuments: 64, onInvalid: 'skip', onSummary: (s) => there.push(s) }));
    expect(parallel).toEqual(expected);
    expect(expected).toHaveLength(docs.length - 1);
    expect(there).toEqual(here);
    expect(here[0]!.skipped).toBe(1);
    expect(here[0]!.errors[0]).toMatch(new RegExp(`^document ${cut}: VocabularyError`));
  });

  it('rebuilds a tokenizer.json Tokenizer (WordPiece) in the workers', async () => {
    const bert = tokenizerFromJSON(JSON.parse(readFileSync(new URL('../../fixtures/tokenizers/wordpiece-uncased.json', import.meta.url), 'utf8')));
    const docs = brownLines.slice(0, 120);
    const parallel = await collect(tokenizeDocuments(docs, bert, { workers: 1, batchDocuments: 50 }));
    expect(parallel.map((ids) => [...ids])).toEqual(docs.map((d) => bert.encode(d).ids));
    expect(parallel[0]![0]).toBe(bert.tokenToId('[CLS]'));
    const plain = await collect(tokenizeDocuments(docs.slice(0, 20), bert, { addSpecialTokens: false }));
    expect(plain.map((ids) => [...ids])).toEqual(docs.slice(0, 20).map((d) => bert.encode(d, null, { addSpecialTokens: false }).ids));
    expect(plain[0]![0]).not.toBe(bert.tokenToId('[CLS]'));
    const plainParallel = await collect(tokenizeDocuments(docs.slice(0, 20), bert, { addSpecialTokens: false, workers: 1 }));
    expect(plainParallel).toEqual(plain);
  });

  it('throws a typed error naming the rejected document by default', async () => {
    await expect(collect(tokenizeDocuments(['ab', 'a☃'], brownTokenizer))).rejects.toThrowError(DocumentTokenizeError);
    await expect(collect(tokenizeDocuments(['ab', 'a☃'], brownTokenizer, { workers: 1 }))).rejects.toThrowError(/^document 1: VocabularyError/);
    await expect(collect(tokenizeDocuments(['ab'], brownTokenizer, { workers: -1 }))).rejects.toThrowError(RangeArgumentError);
    const unbuildable = { encode: () => [], toJSON: () => ({ type: 'CharTokenizer', version: 99 }) };
    await expect(collect(tokenizeDocuments(['ab'], unbuildable, { workers: 1 }))).rejects.toThrowError(ConfigError);
    await expect(collect(tokenizeDocuments(['ab'], { encode: () => [] }, { workers: 1 }))).rejects.toThrowError('tokenizing in workers needs a tokenizer with toJSON()');
  });
});

describe('packSequences', () => {
  it('packs Brown sentences into full blocks that give back every token (concat, EOS separators)', async () => {
    const docs = await collect(tokenizeDocuments(brownLines, brownTokenizer));
    let summary: PackSummary | undefined;
    const blocks = await collect(packSequences(docs, { blockSize: 129, eosId: EOS, padId: PAD, onSummary: (s) => (summary = s) }));
    expect(blocks.slice(0, -1).every((b) => b.ids.length === 129 && b.length === 129)).toBe(true);
    const last = blocks.at(-1)!;
    expect([...last.ids.subarray(last.length)].every((t) => t === PAD)).toBe(true);
    const stream = blocks.flatMap((b) => [...b.ids.subarray(0, b.length)]);
    expect(splitAtEos(stream)).toEqual(docs.map((d) => [...d]));
    const tokens = docs.reduce((n, d) => n + d.length, 0);
    expect(summary).toEqual({ documents: docs.length, emptyDocuments: 0, tokens, separators: docs.length,
      blocks: blocks.length, paddingTokens: 129 - last.length, droppedTokens: 0 });
    expect(tokens + docs.length).toBe(blocks.length * 129 - summary!.paddingTokens);
  });

  it('drops the final partial block with a count when asked', async () => {
    const docs = poems.map((p) => poemTokenizer.encode(p));
    let summary: PackSummary | undefined;
    const blocks = await collect(packSequences(docs, { blockSize: 64, eosId: EOS, remainder: 'drop', onSummary: (s) => (summary = s) }));
    const total = docs.reduce((n, d) => n + d.length + 1, 0);
    expect(blocks).toHaveLength(Math.floor(total / 64));
    expect(summary!.droppedTokens).toBe(total % 64);
    expect(summary!.paddingTokens).toBe(0);
    const stream = blocks.flatMap((b) => [...b.ids]);
    expect(stream).toEqual(docs.flatMap((d) => [...d, EOS]).slice(0, blocks.length * 64));
  });

  it('pads each document in its own blocks, splitting long ones without losing a token', async () => {
    const docs = poems.slice(0, 40).map((p) => poemTokenizer.encode(p));
    docs.push([]);
    let summary: PackSummary | undefined;
    const blocks = await collect(packSequences(docs, { blockSize: 48, mode: 'pad', padId: PAD, onSummary: (s) => (summary = s) }));
    const rebuilt: number[][] = [];
    let current: number[] = [];
    for (const b of blocks) {
      expect(b.ids).toHaveLength(48);
      expect([...b.ids.subarray(b.length)].every((t) => t === PAD)).toBe(true);
      current.push(...b.ids.subarray(0, b.length));
      if (b.length < 48 || current.length === docs[rebuilt.length]!.length) rebuilt.push(current), (current = []);
    }
    expect(rebuilt).toEqual(docs.slice(0, -1));
    expect(summary!.emptyDocuments).toBe(1);
    expect(summary!.blocks).toBe(docs.reduce((n, d) => n + Math.ceil(d.length / 48), 0));
  });

  it('rejects impossible options up front', () => {
    expect(() => new BlockPacker({ blockSize: 0 })).toThrowError('blockSize (0) must be a positive integer');
    expect(() => new BlockPacker({ blockSize: 8, mode: 'pad' })).toThrowError(/padId \(undefined\) must be an integer/);
    expect(() => new BlockPacker({ blockSize: 8, eosId: 1 })).toThrowError(RangeArgumentError);
    expect(() => new BlockPacker({ blockSize: 8, eosId: 1, remainder: 'drop' })).not.toThrow();
  });
});
