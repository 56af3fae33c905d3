// Compares our encodings with npm `tokenizers` (Hugging Face's Rust library) for differential tests.
import { createRequire } from 'node:module';
import type { Encoding, Tokenizer } from '../../src/tokenizers/index.js';

/** The parts of an npm `tokenizers` encoding the tests read. */
export interface HFEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getTypeIds(): number[];
  getSpecialTokensMask(): number[];
}
/** The parts of an npm `tokenizers` tokenizer the tests call. */
export interface HFTokenizer {
  encode(text: string, pair?: string | null, options?: { addSpecialTokens?: boolean }): Promise<HFEncoding>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
}
/** npm `tokenizers`, loaded through CommonJS. */
export const hf = createRequire(import.meta.url)('tokenizers') as {
  Tokenizer: { fromFile(path: string): HFTokenizer };
  [name: string]: unknown;
};

/** HF offsets count code points; ours count UTF-16 units. */
export function toUnits(text: string, offsets: number[][]): [number, number][] {
  const unitOf = [0];
  for (const char of text) unitOf.push(unitOf[unitOf.length - 1]! + char.length);
  return offsets.map(([s, e]) => [unitOf[s!]!, unitOf[e!]!]);
}

/** Null when ours and theirs give the same ids, tokens, type ids, special mask and offsets; else both. */
export async function compareEncodings(ours: Tokenizer, theirs: HFTokenizer, text: string, pair: string | null, addSpecialTokens = true): Promise<unknown> {
  const e: Encoding = ours.encode(text, pair, { addSpecialTokens });
  const r = await theirs.encode(text, pair, { addSpecialTokens });
  const expected = {
    ids: r.getIds(), tokens: r.getTokens(), typeIds: r.getTypeIds(), specialTokensMask: r.getSpecialTokensMask(),
    offsets: r.getOffsets().map((o, i) => toUnits(e.sequenceIds[i] === 1 ? pair! : text, [o])[0]),
  };
  const actual = { ids: e.ids, tokens: e.tokens, typeIds: e.typeIds, specialTokensMask: e.specialTokensMask, offsets: e.offsets };
  return JSON.stringify(actual) === JSON.stringify(expected) ? null : { text, pair, actual, expected };
}

/** The parts of an npm `tokenizers` tokenizer the trainer tests call (it trains with the model's default trainer). */
export interface HFTrainable {
  setNormalizer(normalizer: unknown): void;
  setPreTokenizer(preTokenizer: unknown): void;
  train(files: string[]): void;
  save(path: string): void;
}
