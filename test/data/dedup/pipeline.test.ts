import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cleanDocuments } from '../../../src/data/clean/clean-documents.js';
import { filterLength } from '../../../src/data/clean/filter-length.js';
import { filterRepetition } from '../../../src/data/clean/filter-repetition.js';
import { maskPii } from '../../../src/data/clean/mask-pii.js';
import { normalizeUnicode } from '../../../src/data/clean/normalize-unicode.js';
import { normalizeWhitespace } from '../../../src/data/clean/normalize-whitespace.js';
import { removeControlCharacters } from '../../../src/data/clean/remove-control-characters.js';
import { stripHtml } from '../../../src/data/clean/strip-html.js';
import { exactDedup } from '../../../src/data/dedup/exact-dedup.js';
import { minHashDedup } from '../../../src/data/dedup/min-hash-dedup.js';
import { readJsonl } from '../../../src/data/sources/read-jsonl.js';
import { takeSplit } from '../../../src/data/split/take-split.js';
import { Rng } from '../../../src/utils/rng.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';
import { editWords } from './planted-duplicates.js';

describe('a whole pipeline: gzipped JSONL -> cleaning -> exact and near dedup -> split', () => {
  it('accounts for every record from source to split', async () => {
    const brown = brownDocuments(30, 100);
    const rng = new Rng(11);
    const records = [
      ...brown.map((text, i) => ({ id: i, text: `<p>${text.replace(/\n/g, '</p>\n<p>')}</p>` })),
      ...brown.slice(0, 5).map((text, i) => ({ id: 100 + i, text })), // exact copies (after HTML stripping)
      ...brown.slice(5, 10).map((text, i) => ({ id: 200 + i, text: editWords(text.replace(/\n/g, ' '), 0.003, rng) })), // near copies
      { id: 300, text: 'too short' },
      { id: 301, text: 'spam spam spam spam '.repeat(100) },
      { id: 302 }, // no text field
    ];
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-pipeline-'));
    const file = join(dir, 'corpus.jsonl.gz');
    writeFileSync(file, gzipSync(records.map((r) => JSON.stringify(r)).join('\n')));

    const source = readJsonl(file, { field: 'text', onBadRecord: 'skip' });
    const cleaned = cleanDocuments(source, [
      stripHtml(), normalizeUnicode('NFKC'), removeControlCharacters(), normalizeWhitespace({ maxBlankLines: 0 }),
      filterLength({ minWords: 50 }), filterRepetition(), maskPii(),
    ]);
    const exact = exactDedup(cleaned);
    const near = minHashDedup(exact, { seed: 3 });
    const options = { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 };
    const train = takeSplit(near, 'train', options);
    const out = await collect(train);

    expect(source.report).toMatchObject({ documents: records.length - 1, skipped: { 'bad-record': 1 } });
    expect(cleaned.report.input).toBe(records.length - 1);
    expect(cleaned.report.steps.find((s) => s.name === 'filterLength')!.reasons).toEqual({ 'too-few-words': 1 });
    expect(cleaned.report.steps.find((s) => s.name === 'filterRepetition')!.removed).toBe(1);
    expect(cleaned.report.steps[0]!.changed).toBe(30); // the HTML ones
    expect(exact.report).toEqual({ documents: cleaned.report.output, kept: cleaned.report.output - 5, removed: 5 });
    expect(near.report).toMatchObject({ documents: exact.report.kept, removed: 5, kept: 30 });
    expect(train.report.documents).toBe(30);
    expect(out.length).toBe(train.report.train);
    expect(train.report.train + train.report.validation + train.report.test).toBe(30);
  });
});
