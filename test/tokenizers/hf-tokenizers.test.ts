import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, type Encoding, type Tokenizer } from '../../src/tokenizers/index.js';
import { brownLines, HARD_TEXTS, tangLines } from './texts.js';

interface HFEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getTypeIds(): number[];
  getAttentionMask(): number[];
  getSpecialTokensMask(): number[];
}
interface HFTokenizer {
  encode(text: string, pair?: string | null, options?: { addSpecialTokens?: boolean }): Promise<HFEncoding>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
}
const hf = createRequire(import.meta.url)('tokenizers') as { Tokenizer: { fromFile(path: string): HFTokenizer } };
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');

/** HF offsets count code points; ours count UTF-16 units. */
function toUnits(text: string, offsets: number[][]): [number, number][] {
  const unitOf = [0];
  for (const char of text) unitOf.push(unitOf[unitOf.length - 1]! + char.length);
  return offsets.map(([s, e]) => [unitOf[s!]!, unitOf[e!]!]);
}

async function compare(ours: Tokenizer, theirs: HFTokenizer, text: string, pair: string | null, addSpecialTokens = true): Promise<unknown> {
  const e: Encoding = ours.encode(text, pair, { addSpecialTokens });
  const r = await theirs.encode(text, pair, { addSpecialTokens });
  const rOffsets = r.getOffsets();
  // HF offsets of the pair's tokens count in the pair text.
  const seqOf = e.sequenceIds;
  const expected = {
    ids: r.getIds(), tokens: r.getTokens(), typeIds: r.getTypeIds(), specialTokensMask: r.getSpecialTokensMask(),
    offsets: rOffsets.map((o, i) => toUnits(seqOf[i] === 1 ? pair! : text, [o])[0]),
  };
  const actual = { ids: e.ids, tokens: e.tokens, typeIds: e.typeIds, specialTokensMask: e.specialTokensMask, offsets: e.offsets };
  return JSON.stringify(actual) === JSON.stringify(expected) ? null : { text, pair, actual, expected };
}

const texts = [...brownLines(1500), ...tangLines().slice(0, 300), ...HARD_TEXTS,
  'a <mask> b<mask>c  <mask>', 'the wordforge library, not wordforged nor xwordforge', '<s>hi</s><pad>', 'Wordforge wordforge'];

describe.each(['byte-level-bpe.json', 'whitespace-bpe.json'])('%s against Hugging Face tokenizers', (file) => {
  const path = join(fixtures, file);
  const theirs = hf.Tokenizer.fromFile(path);

  it(`gives identical ids, tokens, offsets, type ids and special masks on ${texts.length} texts`, async () => {
    const ours = await loadTokenizer(path);
    const failures = [];
    for (const text of texts) failures.push(await compare(ours, theirs, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('matches on pairs and without special tokens', async () => {
    const ours = await loadTokenizer(path);
    const failures = [];
    for (let i = 0; i + 1 < 200; i += 2) {
      failures.push(await compare(ours, theirs, texts[i]!, texts[i + 1]!));
      failures.push(await compare(ours, theirs, texts[i]!, null, false));
    }
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('decodes like Hugging Face, with and without special tokens', async () => {
    const ours = await loadTokenizer(path);
    for (const text of texts.slice(0, 300)) {
      const ids = ours.encode(text).ids;
      expect(ours.decode(ids)).toBe(await theirs.decode(ids, false));
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(await theirs.decode(ids, true));
    }
  });

  it('saves a tokenizer.json that Hugging Face loads and encodes identically', async () => {
    const ours = await loadTokenizer(path);
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const out = join(await mkdtemp(join(tmpdir(), 'wf-tok-')), 'tokenizer.json');
    await ours.save(out);
    const reloaded = hf.Tokenizer.fromFile(out);
    const ours2 = await loadTokenizer(out);
    const failures = [];
    for (const text of texts.slice(0, 300)) failures.push(await compare(ours2, reloaded, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });
});
