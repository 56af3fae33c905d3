import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, RangeArgumentError, VocabularyError } from '../../src/utils/errors.js';
import { BPE, loadTokenizer, NormalizedString, Tokenizer, whitespaceSplit, type Encoding } from '../../src/tokenizers/index.js';
import { brownLines } from './texts.js';

const require = createRequire(import.meta.url);
const hf = require('tokenizers');
const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers', 'byte-level-bpe.json');

interface HFEncoding { getIds(): number[]; getAttentionMask(): number[]; getTypeIds(): number[]; getSpecialTokensMask(): number[]; getTokens(): string[] }

function summary(e: Encoding): unknown {
  return { ids: e.ids, mask: e.attentionMask, types: e.typeIds, special: e.specialTokensMask, tokens: e.tokens };
}
function hfSummary(e: HFEncoding): unknown {
  return { ids: e.getIds(), mask: e.getAttentionMask(), types: e.getTypeIds(), special: e.getSpecialTokensMask(), tokens: e.getTokens() };
}

async function tempFile(name: string, content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'wf-tok-')), name);
  await writeFile(path, content);
  return path;
}

describe('padding and truncation against Hugging Face tokenizers', () => {
  const lines = brownLines(40);
  const inputs: (string | [string, string])[] = [lines[0]!, [lines[1]!, lines[2]!], 'short', ['a', lines[3]!], [lines[4]!, 'b'], lines[5]!];
  const settings = [
    { truncation: { direction: 'Right', max_length: 12, strategy: 'LongestFirst', stride: 0 }, padding: { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: null, pad_id: 7170, pad_type_id: 0, pad_token: '<pad>' } },
    { truncation: { direction: 'Left', max_length: 9, strategy: 'LongestFirst', stride: 0 }, padding: { strategy: { Fixed: 16 }, direction: 'Left', pad_to_multiple_of: null, pad_id: 7170, pad_type_id: 3, pad_token: '<pad>' } },
    { truncation: { direction: 'Right', max_length: 30, strategy: 'OnlyFirst', stride: 0 }, padding: { strategy: 'BatchLongest', direction: 'Left', pad_to_multiple_of: 8, pad_id: 7170, pad_type_id: 0, pad_token: '<pad>' } },
    { truncation: null, padding: { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: 5, pad_id: 1, pad_type_id: 0, pad_token: '<pad>' } },
  ];
  it.each(settings.map((s, i) => [i, s] as const))('setting %i encodes batches identically', async (_, setting) => {
    const json = { ...JSON.parse(await readFile(fixture, 'utf8')), ...setting };
    const path = await tempFile('tokenizer.json', JSON.stringify(json));
    const ours = await loadTokenizer(path);
    const theirs = hf.Tokenizer.fromFile(path);
    const usable = setting.truncation?.strategy === 'OnlyFirst' ? inputs.filter((x) => typeof x === 'string' || x[1].length < 10) : inputs;
    const singles = usable.filter((x): x is string => typeof x === 'string');
    expect(ours.encodeBatch(singles).map(summary)).toEqual((await theirs.encodeBatch(singles)).map(hfSummary));
    for (const x of usable) {
      const [a, b] = typeof x === 'string' ? [x, null] : x;
      expect(summary(ours.encode(a, b))).toEqual(hfSummary(await theirs.encode(a, b)));
    }
    const batch = ours.encodeBatch(usable);
    expect(new Set(batch.map((e) => e.ids.length)).size).toBe(1);
    expect(summary(ours.encode(lines[6]!))).toEqual(hfSummary(await theirs.encode(lines[6]!)));
    expect((await loadTokenizer(await tempFile('t.json', JSON.stringify(ours.toJSON())))).toJSON()).toEqual(ours.toJSON());
  });

  it('fails with a typed error when only_second truncation has no pair', () => {
    const t = new Tokenizer({ model: new BPE({ vocab: new Map([['a', 0]]), merges: [] }), truncation: { maxLength: 1, strategy: 'only_second' } });
    expect(() => t.encode('aaa')).toThrow(RangeArgumentError);
  });
});

describe('BPE options against Hugging Face tokenizers', () => {
  const chars = [...'abcdefghijklmnopqrstuvwxyz'];
  const vocab: Record<string, number> = {};
  const add = (t: string): void => void (vocab[t] ??= Object.keys(vocab).length);
  for (const c of chars) add(c), add(`##${c}`), add(`${c}</w>`), add(`##${c}</w>`);
  ['<unk>', '<0x41>', '<0x42>', '<0xC3>', '<0xA9>'].forEach(add);
  const merges: [string, string][] = [['t', '##h'], ['th', '##e</w>'], ['##e', '##r'], ['a', '##n'], ['an', '##d</w>'], ['##er', '##s</w>']];
  for (const [a, b] of merges) add(a + b.slice(2));
  const options = [
    { continuingSubwordPrefix: '##', endOfWordSuffix: '</w>', unkToken: '<unk>' },
    { continuingSubwordPrefix: '##', endOfWordSuffix: '</w>', unkToken: '<unk>', fuseUnk: true },
    { continuingSubwordPrefix: '##', endOfWordSuffix: '</w>', byteFallback: true, unkToken: '<unk>' },
    { continuingSubwordPrefix: '##', endOfWordSuffix: '</w>' },
  ];
  const texts = ['the and others', 'ABC théé the', 'xyz 12 ÀÀÀ the', 'é', 'theand BB', 'A'];
  it.each(options.map((o, i) => [i, o] as const))('option set %i tokenizes identically', async (_, o) => {
    const tok = new hf.Tokenizer(hf.BPE.init(vocab, merges, o));
    tok.setPreTokenizer(hf.whitespaceSplitPreTokenizer());
    const path = join(await mkdtemp(join(tmpdir(), 'wf-tok-')), 'tokenizer.json');
    tok.save(path);
    const ours = await loadTokenizer(path);
    for (const text of texts) {
      const e = await tok.encode(text);
      expect({ ids: ours.encode(text).ids, offsets: ours.encode(text).offsets }).toEqual({ ids: e.getIds(), offsets: e.getOffsets() });
    }
  });
});

describe('added tokens against Hugging Face tokenizers', () => {
  it('strips whitespace (lstrip/rstrip), matches single words and normalized content alike', async () => {
    const tok = hf.Tokenizer.fromFile(fixture);
    tok.setNormalizer(hf.lowercase());
    tok.addAddedTokens([
      new hf.AddedToken('[R]', false, { rightStrip: true }),
      new hf.AddedToken('[LR]', true, { leftStrip: true, rightStrip: true }),
      new hf.AddedToken('Big Cat', false, { normalized: true }),
      new hf.AddedToken('dog', false, { singleWord: true, normalized: false }),
    ]);
    const path = join(await mkdtemp(join(tmpdir(), 'wf-tok-')), 'tokenizer.json');
    tok.save(path);
    const ours = await loadTokenizer(path);
    const texts = ['a [R]   b', 'x  [LR]\t y[LR][LR] z', 'A BIG CAT and big cat', 'dog dogs hotdog dog.', '[R][R]  [LR]  ', '  <mask>  [R] '];
    for (const text of texts) {
      const e = await tok.encode(text);
      const o = ours.encode(text);
      expect({ ids: o.ids, tokens: o.tokens, offsets: o.offsets }).toEqual({ ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets() });
    }
  });
});

describe('tokenizer files', () => {
  const vocab = JSON.stringify({ 'Ġ': 0, h: 1, i: 2, hi: 3, 'Ġhi': 4, '<|endoftext|>': 5 });
  const merges = '#version: 0.2\nh i\nĠ hi\n';

  it('loads GPT-2 vocab.json + merges.txt from a folder', async () => {
    const dir = dirname(await tempFile('vocab.json', vocab));
    await writeFile(join(dir, 'merges.txt'), merges);
    const t = await loadTokenizer(dir);
    expect(t.encode('hi hi<|endoftext|>').ids).toEqual([3, 4, 5]);
    expect(t.decode([3, 4, 5], { skipSpecialTokens: true })).toBe('hi hi');
  });

  it('names the file and field of malformed input', async () => {
    const good = JSON.parse(await readFile(fixture, 'utf8'));
    const cases: [unknown, RegExp][] = [
      [{ ...good, version: '2.0' }, /version must be "1.0"/],
      [{ ...good, normalizer: { type: 'Nmt' } }, /normalizer\.type "Nmt" is not supported yet/],
      [{ ...good, pre_tokenizer: { type: 'Metaspace', prepend_scheme: 'sometimes' } }, /pre_tokenizer\.prepend_scheme must be "always", "first" or "never"/],
      [{ ...good, decoder: { type: 'CTC' } }, /decoder\.type "CTC"/],
      [{ ...good, model: { type: 'Unigram', unk_id: 0, vocab: [['a', 'x']] } }, /model\.vocab\[0\] must be \[piece, finite score\]/],
      [{ ...good, model: { type: 'Unigram', unk_id: 3, vocab: [['a', -1]] } }, /model Unigram unk_id \(3\) must be below the vocabulary size \(1\)/],
      [{ ...good, model: { ...good.model, dropout: 1.5 } }, /model\.dropout must be null or a probability in \[0, 1\], got 1.5/],
      [{ ...good, model: { ...good.model, merges: ['a b c'] } }, /merges\[0\] must be two tokens/],
      [{ ...good, model: { ...good.model, merges: [['zz', 'qq']] } }, /"zz", "qq", "zzqq" not in the vocabulary/],
      [{ ...good, model: { ...good.model, vocab: { a: -1 } } }, /model\.vocab\["a"\] must be a non-negative integer/],
      [{ ...good, added_tokens: [{ id: 'x', content: 'a' }] }, /added_tokens\[0\]\.id/],
      [{ ...good, truncation: { max_length: 4, strategy: 'LongestFirst', stride: -2 } }, /truncation\.stride must be a non-negative integer, got -2/],
    ];
    for (const [json, message] of cases) {
      const path = await tempFile('bad.json', JSON.stringify(json));
      await expect(loadTokenizer(path)).rejects.toThrow(ConfigError);
      await expect(loadTokenizer(path)).rejects.toThrow(new RegExp(`bad\\.json: .*${message.source}`));
    }
    await expect(loadTokenizer(await tempFile('x.json', '{oops'))).rejects.toThrow(/x\.json: not valid JSON/);
    const dir = dirname(await tempFile('vocab.json', vocab));
    await writeFile(join(dir, 'merges.txt'), '#version: 0.2\nh i\nbroken\n');
    await expect(loadTokenizer(dir)).rejects.toThrow(/merges\.txt: line 3 must be two tokens/);
    await expect(loadTokenizer(await mkdtemp(join(tmpdir(), 'wf-empty-')))).rejects.toThrow(ConfigError);
  });

  it('rejects ids outside the vocabulary when decoding', async () => {
    const t = await loadTokenizer(fixture);
    expect(() => t.decode([999999])).toThrow(VocabularyError);
  });
});

describe('NormalizedString', () => {
  it('keeps original offsets through rewrites, slices and prefixes', () => {
    const s = NormalizedString.from('xAé', 1).mapCodePoints((c) => c.toLowerCase() + (c === 'é' ? '!' : ''));
    expect(s.text).toBe('aé!');
    expect(s.originalRange(1, 3)).toEqual([2, 3]);
    expect(s.slice(1, 3).prepend(' ').originalRange(0, 1)).toEqual([2, 3]);
    expect(whitespaceSplit().split(NormalizedString.from(' a  bc ')).map((w) => w.originalRange(0, w.text.length))).toEqual([[1, 2], [4, 6]]);
  });
});
