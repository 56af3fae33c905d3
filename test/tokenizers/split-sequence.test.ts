import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { BYTE_TO_CHAR, byteLevelProcessor, loadTokenizer, NormalizedString, robertaProcessing, sequenceProcessor, splitPreTokenizer } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';
import { brownLines, HARD_TEXTS, MISSING_BYTE_TEXTS, randomUnicode } from './texts.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers', 'byte-level-bpe.json');
const vocab = (JSON.parse(readFileSync(fixture, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
const encoder = new TextEncoder();
// With texts whose bytes the fixture's (Brown-trained) vocabulary lacks: Hugging Face's BPE drops them
// (no unk token) and trims offsets by code points, which an astral character under a `Ġ` shows.
const texts = [...brownLines(150), ...HARD_TEXTS, ...MISSING_BYTE_TEXTS, 'a--b---c - d', 'x,,y,', '  lead and trail  ', "Llama's 12345 numbers, DON'T"];
/** Llama-3's split regex, as its tokenizer.json stores it (JavaScript accepts it with the `u` flag). */
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const TEMPLATE = {
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: { '<s>': { id: '<s>', ids: [7169], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [7171], tokens: ['</s>'] } },
};

async function withParts(parts: Record<string, unknown>): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'wf-split-')), 'tokenizer.json');
  await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(fixture, 'utf8')), ...parts }));
  return path;
}

async function mismatches(path: string, pairs = false, inputs: readonly string[] = texts): Promise<unknown[]> {
  const ours = await loadTokenizer(path);
  const theirs = hf.Tokenizer.fromFile(path);
  const failures = [];
  for (const [i, t] of inputs.entries()) failures.push(await compareEncodings(ours, theirs, t, pairs && i % 3 === 0 ? inputs[i + 1]! : null));
  // Saved and reloaded, it is the same tokenizer.
  expect((await loadTokenizer(await withParts(ours.toJSON() as unknown as Record<string, unknown>))).toJSON()).toEqual(ours.toJSON());
  return failures.filter((f) => f !== null);
}

// Random code points below U+0800 (npm tokenizers' Oniguruma has older Unicode tables: U+088F, a letter
// since Unicode 14, is not one there), then chosen ones: Latin-1 word signs, old numbers and spaces.
const SHORTHAND_TEXTS = [
  ...randomUnicode(120, 17, true).map((t) => [...t].filter((c) => c.codePointAt(0)! < 0x800).join('')),
  'a\\sb\\s \u00b2\u00b9\u00bc\u00d7 \u2460\u2070\u2160\u24b6\u3007\u{1d7d9} \u0085\ufeff\u200b\u180e\u1680\u2028\u3000 \u0660\u00b5\u00aa\u203f\u2040\uff46漢字\u0345',
];
const splitThenBytes = (split: Record<string, unknown>): Record<string, unknown> => ({
  pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', ...split }, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] },
});

describe('Split pre-tokenizer against Hugging Face tokenizers', () => {
  it('covers texts with bytes missing from the vocabulary', () => {
    expect(MISSING_BYTE_TEXTS.every((t) => [...encoder.encode(t)].some((b) => !(BYTE_TO_CHAR[b]! in vocab)))).toBe(true);
  });

  it("Llama 3's regex split, then ByteLevel without its regex, then ByteLevel trimming and a template (a post-processor Sequence)", async () => {
    const path = await withParts({
      ...splitThenBytes({ pattern: { Regex: LLAMA3 }, behavior: 'Isolated', invert: false }),
      post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }, TEMPLATE] },
    });
    expect(await mismatches(path, true)).toEqual([]);
  });

  it.each([
    ['Removed', { String: ' ' }, false], ['Isolated', { String: '-' }, false], ['MergedWithPrevious', { Regex: '[,.;]' }, false],
    ['MergedWithNext', { Regex: '\\s+' }, false], ['Contiguous', { String: '-' }, false], ['Removed', { Regex: '\\p{L}+' }, true],
    ['Isolated', { Regex: '\\p{N}+|\\s' }, true], ['MergedWithPrevious', { Regex: '\\w+' }, true], ['Contiguous', { Regex: '\\S' }, true],
    ['Isolated', { Regex: '\\d+|[\\w\\s]' }, true], ['MergedWithNext', { Regex: '\\D\\W' }, false],
  ] as const)('behavior %s, pattern %j, invert %s: the same tokens and offsets', async (behavior, pattern, invert) => {
    const path = await withParts(splitThenBytes({ pattern, behavior, invert }));
    expect(await mismatches(path)).toEqual([]);
  });

  it.each(['\\w', '\\W', '\\s', '\\S', '\\d', '\\D', '[\\w\\s]+', '[^\\d\\S]', '\\\\s|\\p{L}'])('shorthand %s matches the characters Oniguruma does (random code points)', async (regex) => {
    const path = await withParts(splitThenBytes({ pattern: { Regex: regex }, behavior: 'Removed', invert: false }));
    expect(await mismatches(path, false, SHORTHAND_TEXTS)).toEqual([]);
  });

  it('splits on a literal string, not a regex; bad patterns and behaviours are typed errors naming the field', async () => {
    const dots = splitPreTokenizer({ pattern: { string: '.' }, behavior: 'Isolated' }).split(NormalizedString.from('a.b+c'));
    expect(dots.map((w) => [w.text, w.originalRange(0, w.text.length)])).toEqual([['a', [0, 1]], ['.', [1, 2]], ['b+c', [2, 5]]]);
    expect(() => splitPreTokenizer({ pattern: { regex: '(?<x' }, behavior: 'Removed' })).toThrow(ConfigError);
    await expect(loadTokenizer(await withParts(splitThenBytes({ pattern: { Regex: '(?<x' }, behavior: 'Removed' })))).rejects.toThrow(/pre_tokenizer\.pretokenizers\[0\]\.pattern Split pattern "\(\?<x"/);
    await expect(loadTokenizer(await withParts(splitThenBytes({ pattern: { Regex: 'a' }, behavior: 'Merged' })))).rejects.toThrow(/pretokenizers\[0\]\.behavior must be one of .* got "Merged"/);
    await expect(loadTokenizer(await withParts(splitThenBytes({ pattern: { Glob: 'a' }, behavior: 'Removed' })))).rejects.toThrow(/pattern must be \{"String"/);
  });
});

describe('post-processor Sequence', () => {
  it('only the last processor may add tokens; the sequence saves as Hugging Face writes it', () => {
    expect(() => sequenceProcessor([robertaProcessing(), byteLevelProcessor()])).toThrow(/only the last processor may add special tokens, but processor 0 \("RobertaProcessing"\)/);
    expect(() => sequenceProcessor([])).toThrow(ConfigError);
    const p = sequenceProcessor([byteLevelProcessor({ trimOffsets: true }), robertaProcessing()]);
    expect(p.addedTokens(true)).toBe(4);
    expect(p.toJSON()).toMatchObject({ type: 'Sequence', processors: [{ type: 'ByteLevel' }, { type: 'RobertaProcessing' }] });
  });
});
