// Pre-tokenizers and normalizers often paired with WordPiece: Punctuation (every behaviour),
// Digits and StripAccents, checked against npm tokenizers.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { digitsPreTokenizer, loadTokenizer, NormalizedString, punctuationPreTokenizer, type PreTokenizer } from '../../src/tokenizers/index.js';
import { compareEncodings, hf, toUnits } from './hf-reference.js';
import { brownLines, HARD_TEXTS, randomUnicode, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
const texts = [...HARD_TEXTS, ...brownLines(150), ...tangLines().slice(0, 30), ...randomUnicode(150, 9, true),
  '...a,,b..', ',start and end.', 'x=1,234.5;y=６７８ Ⅻ ½ ١٢٣ ²', 'a1b22c333', '!!!', '1', 'é\u0301 Ñ'];

type HFPre = { preTokenizeString(text: string): [string, [number, number]][] };
const builders = hf as unknown as { punctuationPreTokenizer(b: string): HFPre; digitsPreTokenizer(i: boolean): HFPre };

function expectSameSplits(ours: PreTokenizer, theirs: HFPre): void {
  for (const text of texts) {
    const got = ours.split(NormalizedString.from(text)).map((w) => [w.text, w.originalRange(0, w.text.length)]);
    const want = theirs.preTokenizeString(text).map(([t, o]) => [t, toUnits(text, [o])[0]]);
    expect({ text, got }).toEqual({ text, got: want });
  }
}

describe('Punctuation, Digits and StripAccents against Hugging Face tokenizers', () => {
  it.each(['Isolated', 'Removed', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'] as const)('Punctuation %s splits identically', (behavior) => {
    expectSameSplits(punctuationPreTokenizer(behavior), builders.punctuationPreTokenizer(behavior[0]!.toLowerCase() + behavior.slice(1)));
  });

  it.each([false, true])('Digits (individual_digits %s) splits identically', (individual) => {
    expectSameSplits(digitsPreTokenizer(individual), builders.digitsPreTokenizer(individual));
  });

  const variants: [string, Record<string, unknown>][] = [
    ['NFD + StripAccents + Lowercase', { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }] } }],
    ['WhitespaceSplit, Punctuation, Digits', { pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'MergedWithNext' }, { type: 'Digits', individual_digits: true }] } }],
  ];
  it.each(variants)('%s in tokenizer.json: same encodings; saved form loads in HF', async (_, variant) => {
    const json = { ...JSON.parse(await readFile(join(fixtures, 'wordpiece-uncased.json'), 'utf8')), ...variant };
    const path = join(await mkdtemp(join(tmpdir(), 'wf-wp-')), 'tokenizer.json');
    await writeFile(path, JSON.stringify(json));
    const ours = await loadTokenizer(path);
    const theirs = hf.Tokenizer.fromFile(path);
    const failures = [];
    for (const text of texts) failures.push(await compareEncodings(ours, theirs, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
    const saved = join(dirname(path), 'saved.json');
    await ours.save(saved);
    const reloaded = hf.Tokenizer.fromFile(saved);
    for (const text of texts.slice(0, 80)) expect(await compareEncodings(ours, reloaded, text, null)).toBeNull();
  });

  it('rejects an unknown Punctuation behavior, naming the field', async () => {
    const json = { ...JSON.parse(await readFile(join(fixtures, 'wordpiece-uncased.json'), 'utf8')), pre_tokenizer: { type: 'Punctuation', behavior: 'Merged' } };
    const path = join(await mkdtemp(join(tmpdir(), 'wf-wp-')), 'tokenizer.json');
    await writeFile(path, JSON.stringify(json));
    await expect(loadTokenizer(path)).rejects.toThrow(ConfigError);
    await expect(loadTokenizer(path)).rejects.toThrow(/pre_tokenizer\.behavior must be one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous, got "Merged"/);
  });
});
