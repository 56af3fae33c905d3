import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from '../../../examples/brown-corpus.js';
import { bucketByLength } from '../../../src/data/batching/bucket-by-length.js';
import { exampleBatchSource } from '../../../src/data/batching/example-batch-source.js';
import { tokenBlocks } from '../../../src/data/batching/indexed-dataset.js';
import { iterateEpochs } from '../../../src/data/batching/iterate-epochs.js';
import { shuffleBuffer } from '../../../src/data/batching/shuffle-buffer.js';
import { collateCausalLM } from '../../../src/data/collate/collate-causal-lm.js';
import { collateMaskedLM } from '../../../src/data/collate/collate-masked-lm.js';
import { readTokenCache, writeTokenCache } from '../../../src/data/pack/token-cache.js';
import { tokenizeDocuments } from '../../../src/data/pack/tokenize-documents.js';
import { validateCausalLMBatch } from '../../../src/data/causal-lm-batch.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';

const lines = loadBrownCorpus(3).split('\n');
const tokenizer = CharTokenizer.fromText(lines.join('\n'), { specialTokens: ['<pad>', '<|endoftext|>', '<mask>'] });
const sentences = lines.map((l) => tokenizer.encode(l));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('shuffleBuffer', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);
  it('emits every item once, in a seed-determined order, never more than bufferSize places early', async () => {
    const out = await collect(shuffleBuffer(items, { bufferSize: 50, seed: 1 }));
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out).not.toEqual(items);
    expect(await collect(shuffleBuffer(items, { bufferSize: 50, seed: 1 }))).toEqual(out);
    expect(await collect(shuffleBuffer(items, { bufferSize: 50, seed: 2 }))).not.toEqual(out);
    out.forEach((item, position) => expect(position).toBeGreaterThanOrEqual(item - 50));
    expect(await collect(shuffleBuffer(items, { bufferSize: 1, seed: 1 }))).toEqual(items);
  });

  it('is a uniform shuffle when the buffer holds everything', async () => {
    const counts = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) counts[(await collect(shuffleBuffer(items.slice(0, 10), { bufferSize: 10, seed })))[0]!]++;
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(5 * Math.sqrt(2000 * 0.1 * 0.9));
  });

  it('rejects a bad buffer size', async () => {
    await expect(collect(shuffleBuffer(items, { bufferSize: 0, seed: 0 }))).rejects.toThrowError('bufferSize (0) must be a positive integer');
  });
});

describe('bucketByLength on Brown sentences', () => {
  const lengths = sentences.map((s) => s.length);
  const padding = (batches: number[][]): number => batches.reduce((n, b) => n + Math.max(...b.map((i) => lengths[i]!)) * b.length - b.reduce((m, i) => m + lengths[i]!, 0), 0);

  it('puts every sentence in one batch of one bucket and wastes far less padding than random batches', () => {
    const { batches, boundaries, dropped } = bucketByLength(lengths, { numBuckets: 8, batchSize: 16, seed: 0 });
    expect(dropped).toBe(0);
    expect(boundaries.length).toBeGreaterThan(4);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    const bucketOf = (length: number): number => boundaries.filter((b) => length >= b).length;
    for (const batch of batches) expect(new Set(batch.map((i) => bucketOf(lengths[i]!))).size).toBe(1);
    const random = exampleBatches(lengths.length, 16);
    expect(padding(batches)).toBeLessThan(padding(random) / 3);
  });

  it('honours explicit boundaries and counts what dropRemainder leaves out', () => {
    const { batches, dropped } = bucketByLength([1, 2, 3, 10, 11, 12, 13, 30], { boundaries: [5, 20], batchSize: 2, dropRemainder: true });
    expect(batches).toEqual([[0, 1], [3, 4], [5, 6]]);
    expect(dropped).toBe(2);
    expect(() => bucketByLength([1], { batchSize: 2 })).toThrowError('give exactly one of boundaries and numBuckets');
    expect(() => bucketByLength([1], { batchSize: 2, boundaries: [5, 5] })).toThrowError(RangeArgumentError);
  });
});

function exampleBatches(n: number, size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(Array.from({ length: Math.min(size, n - i) }, (_, k) => i + k));
  return out;
}

describe('exampleBatchSource', () => {
  const maskOptions = { maskTokenId: 2, vocabSize: tokenizer.vocabSize, specialIds: [0, 1, 2], padId: 0 };
  const makeSource = () => exampleBatchSource(sentences, {
    batchSize: 8, seed: 3, bucketBy: { length: (s: number[]) => s.length, numBuckets: 4 },
    collate: (rows: number[][], at) => collateMaskedLM(rows, { ...maskOptions, seed: at.seed }),
  });

  it('covers every example once per epoch, in a new order each epoch', async () => {
    const source = exampleBatchSource(sentences.map((_, i) => i), { batchSize: 10, seed: 0, collate: (rows: number[]) => rows });
    const epochs = await collect(iterateEpochs(source, 2));
    const [first, second] = [0, 1].map((e) => epochs.filter((b) => b.epoch === e).flatMap((b) => b.batch));
    expect([...first!].sort((a, b) => a - b)).toEqual(sentences.map((_, i) => i));
    expect([...second!].sort((a, b) => a - b)).toEqual(sentences.map((_, i) => i));
    expect(second).not.toEqual(first);
    expect(source.batchesInEpoch()).toBe(Math.ceil(sentences.length / 10));
  });

  it('resumes from a saved position with exactly the batches an uninterrupted run gives (random masking included)', async () => {
    const reference = makeSource();
    const all = await collect(iterateEpochs(reference, 2));
    const perEpoch = reference.batchesInEpoch();
    const interrupted = makeSource();
    interrupted.startEpoch!(0);
    for (let i = 0; i < perEpoch; i++) interrupted.next();
    interrupted.startEpoch!(1);
    for (let i = 0; i < 5; i++) interrupted.next();
    const saved = JSON.parse(JSON.stringify(interrupted.getState()));
    expect(saved).toEqual({ epoch: 1, batch: 5 });
    const resumed = makeSource();
    resumed.setState(saved);
    const rest = [];
    for (let batch = resumed.next(); batch !== null; batch = resumed.next()) rest.push(batch);
    expect(rest).toEqual(all.slice(perEpoch + 5).map((b) => b.batch));
    expect(() => resumed.setState({ epoch: -1, batch: 0 })).toThrowError(/must be \{ epoch, batch \}/);
  });

  it('serves causal-LM blocks of a token cache, every next-token pair once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wordforge-batching-')), 'brown.tokens');
    await writeTokenCache(path, tokenizeDocuments(lines, tokenizer, { eosId: 1 }), { vocabSize: tokenizer.vocabSize });
    const cache = await readTokenCache(path);
    const blocks = tokenBlocks(cache.tokens, { blockSize: 65, stride: 64 });
    expect(blocks.length * 64 + blocks.remainder).toBe(cache.tokens.length - 1);
    const served: number[] = [];
    const source = exampleBatchSource(blocks, { batchSize: 4, seed: 0, dropRemainder: true, collate: (rows) => {
      served.push(...rows.map((row) => (row.byteOffset - cache.tokens.byteOffset) / cache.tokens.BYTES_PER_ELEMENT / 64));
      return collateCausalLM(rows, { padId: 0 });
    } });
    for (let batch = source.next(); batch !== null; batch = source.next()) {
      validateCausalLMBatch(batch, tokenizer.vocabSize);
      expect(batch.seqLength).toBe(64);
      const index = served.at(-4)!;
      expect([...batch.inputIds.subarray(0, 64)]).toEqual([...cache.tokens.subarray(index * 64, index * 64 + 64)]);
      expect([...batch.labels.subarray(0, 64)]).toEqual([...cache.tokens.subarray(index * 64 + 1, index * 64 + 65)]);
    }
    const seen = new Set(served);
    expect(seen.size).toBe(served.length);
    expect(seen.size + source.droppedInEpoch()).toBe(blocks.length);
  });
});
