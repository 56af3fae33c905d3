import { describe, expect, it } from 'vitest';
import { cleanDocuments } from '../../../src/data/clean/clean-documents.js';
import { normalizeUnicode } from '../../../src/data/clean/normalize-unicode.js';
import { normalizeWhitespace } from '../../../src/data/clean/normalize-whitespace.js';
import { removeControlCharacters } from '../../../src/data/clean/remove-control-characters.js';
import { removeZeroWidth } from '../../../src/data/clean/remove-zero-width.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { Rng } from '../../../src/utils/rng.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';

const poemFiles = ['tang300', 'song100'].map((f) => new URL(`../../../../shared/data/${f}.txt`, import.meta.url).pathname);
const poems = () => readTextFiles(poemFiles, { split: { separatorLine: '%' } });

/** Inserts `insert()` at `count` random places of `text`, between UTF-16 code points. */
function plant(text: string, count: number, insert: () => string, rng: Rng): string {
  const chars = [...text];
  for (let k = 0; k < count; k++) chars.splice(rng.nextInt(chars.length + 1), 0, insert());
  return chars.join('');
}

describe('text-normalising steps on the real corpora', () => {
  it('normalizeUnicode: NFC changes no poem and NFKC changes all 409 (full-width punctuation), as Python unicodedata does', async () => {
    const nfc = cleanDocuments(poems(), [normalizeUnicode('NFC')]);
    await collect(nfc);
    expect(nfc.report.steps[0]!.changed).toBe(0);
    const nfkc = cleanDocuments(poems(), [normalizeUnicode('NFKC')]);
    const out = await collect(nfkc);
    expect(nfkc.report.steps[0]!.changed).toBe(409);
    expect(out[0]!.split('\n')[2]).toBe('兰叶春葳蕤,桂华秋皎洁。'); // U+FF0C -> ',', U+3002 has no compatibility form
  });

  it('removeControlCharacters: leaves Brown alone and exactly undoes planted control characters', async () => {
    const docs = brownDocuments(10);
    const rng = new Rng(4);
    const controls = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009c'];
    const dirty = docs.map((d) => plant(d, 25, () => controls[rng.nextInt(controls.length)]!, rng));
    const clean = cleanDocuments([...docs, ...dirty], [removeControlCharacters()]);
    expect(await collect(clean)).toEqual([...docs, ...docs]);
    expect(clean.report.steps[0]).toMatchObject({ changed: 10, notes: { 'characters-removed': 250 } });
  });

  it('removeZeroWidth: leaves the poems alone and exactly undoes planted invisible characters', async () => {
    const original = await collect(poems());
    const rng = new Rng(6);
    const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
    const dirty = original.map((d) => plant(d, 3, () => invisible[rng.nextInt(invisible.length)]!, rng));
    const clean = cleanDocuments([...original, ...dirty], [removeZeroWidth()]);
    expect(await collect(clean)).toEqual([...original, ...original]);
    expect(clean.report.steps[0]).toMatchObject({ changed: 409, notes: { 'characters-removed': 3 * 409 } });
  });

  it('normalizeWhitespace: changes only the 7 poems holding stray spaces, and is idempotent on Brown', async () => {
    const step = cleanDocuments(poems(), [normalizeWhitespace()]);
    const out = await collect(step);
    expect(step.report.steps[0]!.changed).toBe(7); // Python: 2 Tang + 5 Song poems hold a space
    expect(out.every((d) => !/[^\S\n]{2,}| \n|\n /.test(d))).toBe(true);
    const brown = brownDocuments(10);
    const once = await collect(cleanDocuments(brown, [normalizeWhitespace()]));
    const twice = cleanDocuments(once, [normalizeWhitespace()]);
    expect(await collect(twice)).toEqual(once);
    expect(twice.report.steps[0]!.changed).toBe(0);
  });
});
