// Reads a fortunes-style poem file (../shared/data/tang300.txt: poems separated by lines holding
// '%'), tokenises it by character and splits it 90/10 into training tokens and fixed validation
// batches: the data setup the Trainer examples share.
import { readFileSync } from 'node:fs';
import { CharTokenizer, Rng, sampleWindows, type CausalLMBatch } from 'wordforge';

/** The default corpus: 313 Tang poems. */
export const TANG_POEMS = new URL('../../shared/data/tang300.txt', import.meta.url).pathname;

/** Tokenised poems: the tokenizer, the training tokens and fixed validation batches. */
export interface PoemCorpus {
  readonly text: string;
  readonly tokenizer: CharTokenizer;
  readonly train: Int32Array;
  readonly validation: CausalLMBatch[];
}

/** Loads `path` and prepares `validationBatches` batches of `batchSize` × `seqLength` tokens. */
export function loadPoemCorpus(path: string, options: { batchSize: number; seqLength: number; validationBatches: number }): PoemCorpus {
  const text = readFileSync(path, 'utf8').split(/^%$/m).map((p) => p.trim()).filter(Boolean).join('\n\n');
  const tokenizer = CharTokenizer.fromText(text);
  const ids = Int32Array.from(tokenizer.encode(text));
  const split = Math.floor(ids.length * 0.9);
  const validation = Array.from({ length: options.validationBatches }, (_, i) =>
    sampleWindows(ids.subarray(split), { batchSize: options.batchSize, seqLength: options.seqLength, rng: new Rng(1000 + i) }));
  return { text, tokenizer, train: ids.subarray(0, split), validation };
}
