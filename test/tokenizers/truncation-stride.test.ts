import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { loadTokenizer, truncateWithOverflow, type Encoding } from '../../src/tokenizers/index.js';
import { hf } from './hf-reference.js';
import { brownLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');

interface HFWindow {
  getIds(): number[]; getTokens(): string[]; getTypeIds(): number[]; getAttentionMask(): number[];
  getSpecialTokensMask(): number[]; getOffsets(): number[][]; getOverflowing(): HFWindow[];
}

/** Everything compared, overflowing windows (and their nested ones) included (ASCII texts: offsets need no conversion). */
function ours(e: Encoding): unknown {
  return {
    ids: e.ids, tokens: e.tokens, types: e.typeIds, mask: e.attentionMask, special: e.specialTokensMask, offsets: e.offsets,
    overflowing: (e.overflowing ?? []).map(ours),
  };
}
function theirs(e: HFWindow): unknown {
  return {
    ids: e.getIds(), tokens: e.getTokens(), types: e.getTypeIds(), mask: e.getAttentionMask(), special: e.getSpecialTokensMask(),
    offsets: e.getOffsets(), overflowing: e.getOverflowing().map(theirs),
  };
}

const lines = brownLines(60).filter((l) => /^[\x20-\x7e]*$/.test(l));
const inputs: (string | [string, string])[] = [
  lines[0]!, lines[1]!, [lines[2]!, lines[3]!], [lines[4]!, 'short pair'], ['short first', lines[5]!], [`${lines[6]} ${lines[7]}`, lines[8]!], 'tiny',
];

/**
 * npm `tokenizers` 0.23.2 stops tokenizing at `max_length` tokens when truncation is set (its
 * `tokenize_with_limit` early exit, huggingface/tokenizers#2091, fix in #2098), so its `encode`
 * loses most overflowing windows. Hugging Face's truncation, post-processing, window merging and
 * padding are exercised instead through its `postProcess`, on full encodings of each input made
 * by the same tokenizer without truncation or post-processor: exactly what `encode` does without the early exit.
 */
describe('truncation with stride and overflowing windows against Hugging Face tokenizers', () => {
  const cases = [
    ['byte-level-bpe', { max_length: 12, stride: 3, strategy: 'LongestFirst', direction: 'Right' }, null],
    ['byte-level-bpe', { max_length: 10, stride: 2, strategy: 'LongestFirst', direction: 'Left' }, null],
    ['byte-level-bpe', { max_length: 16, stride: 4, strategy: 'OnlyFirst', direction: 'Right' }, null],
    ['byte-level-bpe', { max_length: 9, stride: 0, strategy: 'LongestFirst', direction: 'Right' }, { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: null, pad_id: 7170, pad_type_id: 0, pad_token: '<pad>' }],
    ['wordpiece-uncased', { max_length: 16, stride: 5, strategy: 'LongestFirst', direction: 'Right' }, { strategy: { Fixed: 20 }, direction: 'Left', pad_to_multiple_of: null, pad_id: 0, pad_type_id: 1, pad_token: '[PAD]' }],
    ['wordpiece-uncased', { max_length: 20, stride: 6, strategy: 'OnlySecond', direction: 'Left' }, null],
  ] as const;
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i (%s): the same windows, in the same order, for singles and pairs', async (_, name, truncation, padding) => {
    const json = { ...JSON.parse(await readFile(join(fixtures, `${name}.json`), 'utf8')), truncation, padding };
    const path = join(await mkdtemp(join(tmpdir(), 'wf-stride-')), 'tokenizer.json');
    await writeFile(path, JSON.stringify(json));
    const tokenizer = await loadTokenizer(path);
    const reference = hf.Tokenizer.fromFile(path) as unknown as { postProcess(a: HFWindow, b: HFWindow | null, addSpecialTokens: boolean): HFWindow };
    // Without truncation, and without the post-processor (whose offset trimming would apply twice);
    // the second input gets type id 1, as encode gives it (HF keeps it on overflowing windows).
    const full = async (text: string, typeId: number): Promise<HFWindow> => {
      const template = { type: 'TemplateProcessing', single: [{ Sequence: { id: 'A', type_id: typeId } }], pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }], special_tokens: {} };
      const file = join(dirname(path), `full-${typeId}.json`);
      await writeFile(file, JSON.stringify({ ...json, truncation: null, padding: null, post_processor: template }));
      return (hf.Tokenizer.fromFile(file) as unknown as { encode(a: string, b: null, o: { addSpecialTokens: boolean }): Promise<HFWindow> }).encode(text, null, { addSpecialTokens: false });
    };
    const usable = inputs.filter((x) => (truncation.strategy === 'OnlySecond' ? typeof x !== 'string' && x[0].length < 20 : truncation.strategy === 'OnlyFirst' ? typeof x === 'string' || x[1].length < 20 : true));
    let windows = 0;
    for (const x of usable) {
      const [a, b] = typeof x === 'string' ? [x, null] : x;
      const mine = tokenizer.encode(a, b);
      const expected = reference.postProcess(await full(a, 0), b === null ? null : await full(b, 1), true);
      expect(ours(mine)).toEqual(theirs(expected));
      windows += mine.overflowing?.length ?? 0;
    }
    expect(windows).toBeGreaterThan(2);
    // The stride survives saving.
    expect(tokenizer.toJSON().truncation).toMatchObject({ stride: truncation.stride });
  });

  it('windows overlap by stride, from the end when truncating on the left; a stride not below the length is an error', () => {
    const e: Encoding = {
      ids: [...Array(10).keys()], tokens: [...'abcdefghij'], offsets: Array.from({ length: 10 }, (_, i): [number, number] => [i, i + 1]),
      typeIds: Array(10).fill(0), attentionMask: Array(10).fill(1), specialTokensMask: Array(10).fill(0), wordIds: [...Array(10).keys()], sequenceIds: Array(10).fill(0),
    };
    const right = truncateWithOverflow(e, 4, 1, 'right');
    expect([right.ids, ...right.overflowing!.map((o) => o.ids)]).toEqual([[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]);
    const left = truncateWithOverflow(e, 4, 2, 'left');
    expect([left.ids, ...left.overflowing!.map((o) => o.ids)]).toEqual([[6, 7, 8, 9], [4, 5, 6, 7], [2, 3, 4, 5], [0, 1, 2, 3]]);
    expect(truncateWithOverflow(e, 0, 0, 'right').overflowing).toEqual([e]);
    expect(truncateWithOverflow(e, 10, 3, 'right')).toBe(e);
    expect(() => truncateWithOverflow(e, 4, 4, 'right')).toThrow(RangeArgumentError);
  });
});
