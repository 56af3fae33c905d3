// Streams a generated corpus through the data pipeline and reports throughput and peak memory:
// read (sources) -> clean -> exact dedup -> tokenise -> pack -> binary token cache on disk.
//   npx tsx bench/data-pipeline.ts                      # 8 MB
//   npx tsx bench/data-pipeline.ts --size-mb 1024       # 1 GB: memory must stay bounded
//   npx tsx bench/data-pipeline.ts --workers 2 --block-size 1024 --keep
// The corpus is paragraphs of seeded pseudo-words with some HTML, control characters and exact
// repeats, so every stage has work. Generation is not timed.
// Measured (char tokenizer, no workers, a shared 2-core machine at load ~11, nice 19): 8 MB at
// 4.1 MB/s, peak RSS 137 MB; 1 GB at 1.85 MB/s, peak RSS 315 MB (most of the growth is exact
// dedup's ~130 bytes per distinct document: 1.08 M documents), 1.02 G tokens in a 1.95 GB cache.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanDocuments } from '../src/data/clean/clean-documents.js';
import { filterLength } from '../src/data/clean/filter-length.js';
import { normalizeWhitespace } from '../src/data/clean/normalize-whitespace.js';
import { removeControlCharacters } from '../src/data/clean/remove-control-characters.js';
import { stripHtml } from '../src/data/clean/strip-html.js';
import { exactDedup } from '../src/data/dedup/exact-dedup.js';
import type { PackSummary } from '../src/data/pack/block-packer.js';
import { packSequences } from '../src/data/pack/pack-sequences.js';
import { writeTokenCache } from '../src/data/pack/token-cache.js';
import { tokenizeDocuments, type TokenizeSummary } from '../src/data/pack/tokenize-documents.js';
import { readTextFiles } from '../src/data/sources/read-text-files.js';
import { CharTokenizer } from '../src/tokenizers/char-tokenizer.js';
import { Rng } from '../src/utils/rng.js';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '8' },
    workers: { type: 'string', default: '0' },
    'block-size': { type: 'string', default: '1024' },
    keep: { type: 'boolean', default: false },
  },
});
const sizeMB = Number(values['size-mb']);
const workers = Number(values.workers);
const blockSize = Number(values['block-size']);

/** Writes about `bytes` of paragraphs to `path`, seeded, without holding the corpus in memory. */
async function generateCorpus(path: string, bytes: number): Promise<number> {
  const rng = new Rng(0);
  const letters = 'etaoinshrdlucmfwypvbgkjqxz';
  const words = Array.from({ length: 5000 }, () => Array.from({ length: 1 + rng.nextInt(9) }, () => letters[Math.min(25, Math.floor(-Math.log(1 - rng.nextFloat()) * 6))]).join(''));
  const recent: string[] = [];
  const out = createWriteStream(path);
  let written = 0;
  while (written < bytes) {
    let chunk = '';
    while (chunk.length < 1 << 22) {
      let paragraph: string;
      const r = rng.nextFloat();
      if (r < 0.05 && recent.length > 0) paragraph = recent[rng.nextInt(recent.length)]!; // exact repeat
      else {
        const n = 10 + rng.nextInt(300);
        const parts: string[] = [];
        for (let i = 0; i < n; i++) parts.push(words[Math.floor(words.length * rng.nextFloat() ** 2)]!);
        paragraph = parts.join(' ') + '.';
        if (r < 0.1) paragraph = `<p>${paragraph}</p>`;
        else if (r < 0.12) paragraph = `\u0007${paragraph}\u0000`;
        if (recent.length < 100) recent.push(paragraph);
        else recent[rng.nextInt(100)] = paragraph;
      }
      chunk += `${paragraph}\n\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

const dir = mkdtempSync(join(tmpdir(), 'wordforge-data-bench-'));
const corpus = join(dir, 'corpus.txt');
const cache = join(dir, 'corpus.tokens');
try {
  const bytes = await generateCorpus(corpus, sizeMB * 2 ** 20);
  const tokenizer = CharTokenizer.fromText('etaoinshrdlucmfwypvbgkjqxz .<>/p', { specialTokens: ['<pad>', '<|endoftext|>', '<unk>'], unknownToken: '<unk>' });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  sampler.unref();
  const start = performance.now();
  const documents = readTextFiles(corpus, { split: 'paragraph' });
  const cleaned = cleanDocuments(documents, [stripHtml(), removeControlCharacters(), normalizeWhitespace(), filterLength({ minWords: 5 })]);
  let tokenized: TokenizeSummary | undefined;
  let packed: PackSummary | undefined;
  const deduped = exactDedup(cleaned);
  const ids = tokenizeDocuments(deduped, tokenizer, { eosId: 1, workers, onSummary: (s) => (tokenized = s) });
  const blocks = packSequences(ids, { blockSize, padId: 0, onSummary: (s) => (packed = s) });
  const written = await writeTokenCache(cache, (async function* () {
    for await (const block of blocks) yield block.ids.subarray(0, block.length);
  })(), { vocabSize: tokenizer.vocabSize });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const mb = bytes / 2 ** 20;
  const result = {
    inputMB: Number(mb.toFixed(1)), seconds: Number(seconds.toFixed(1)), mbPerSecond: Number((mb / seconds).toFixed(2)),
    peakRssMB: Math.round(peakRss / 2 ** 20), workers, blockSize,
    documents: documents.report.documents, cleanedOut: cleaned.report.input - cleaned.report.output, duplicates: deduped.report.removed,
    tokenized: tokenized?.documents, skipped: tokenized?.skipped, tokens: tokenized?.tokens,
    blocks: packed?.blocks, paddingTokens: packed?.paddingTokens, cacheMB: Number((written.bytes / 2 ** 20).toFixed(1)),
  };
  console.log(`data pipeline (read -> clean -> dedup -> tokenise -> pack -> token cache), ${result.inputMB} MB in ${result.seconds} s: `
    + `${result.mbPerSecond} MB/s, peak RSS ${result.peakRssMB} MB`);
  console.log(`  ${result.documents} documents read, ${result.cleanedOut} removed by cleaning, ${result.duplicates} duplicates, ${result.tokens} tokens, `
    + `${result.blocks} blocks of ${blockSize}, cache ${result.cacheMB} MB`);
  console.log(JSON.stringify(result));
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
