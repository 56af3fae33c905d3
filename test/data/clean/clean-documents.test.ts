import { describe, expect, it } from 'vitest';
import { cleanDocument, cleanDocuments, type CleaningReport } from '../../../src/data/clean/clean-documents.js';
import type { CleaningStep } from '../../../src/data/clean/cleaning-step.js';
import { filterLength } from '../../../src/data/clean/filter-length.js';
import { normalizeWhitespace } from '../../../src/data/clean/normalize-whitespace.js';
import { stripHtml } from '../../../src/data/clean/strip-html.js';
import { fromArray } from '../../../src/data/sources/from-iterable.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { ConfigError } from '../../../src/utils/errors.js';
import { collect } from '../sources/collect.js';

const upper: CleaningStep = { name: 'upper', apply: (t) => t.toUpperCase() };
const dropX: CleaningStep = { name: 'dropX', apply: (t, tally) => { tally('checked'); return t.includes('X') ? { removed: 'has-x' } : t; } };

describe('cleanDocuments', () => {
  it('applies steps in order and reports seen, changed, removed and reasons per step', async () => {
    const cleaned = cleanDocuments(fromArray(['abc', 'ABC', 'xyz', 'kept']), [upper, dropX]);
    expect(await collect(cleaned)).toEqual(['ABC', 'ABC', 'KEPT']);
    expect(cleaned.report).toEqual({
      input: 4, output: 3,
      steps: [
        { name: 'upper', seen: 4, changed: 3, removed: 0, reasons: {}, notes: {} },
        { name: 'dropX', seen: 4, changed: 0, removed: 1, reasons: { 'has-x': 1 }, notes: { checked: 4 } },
      ],
    } satisfies CleaningReport);
  });

  it('removes a document a step leaves empty, and later steps never see it', async () => {
    const cleaned = cleanDocuments(['<p> </p>', '<b>bold</b>'], [stripHtml(), normalizeWhitespace(), upper]);
    expect(await collect(cleaned)).toEqual(['BOLD']);
    expect(cleaned.report.steps.map((s) => [s.name, s.seen, s.removed, s.reasons])).toEqual([
      ['stripHtml', 2, 1, { 'empty-after-cleaning': 1 }],
      ['normalizeWhitespace', 1, 0, {}],
      ['upper', 1, 0, {}],
    ]);
  });

  it('runs on the Tang poems with counts that add up', async () => {
    const poems = readTextFiles(new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname, { split: { separatorLine: '%' } });
    const cleaned = cleanDocuments(poems, [normalizeWhitespace(), filterLength({ minWords: 40 })]);
    const out = await collect(cleaned);
    const { steps } = cleaned.report;
    expect(cleaned.report.input).toBe(313);
    expect(out.length).toBe(cleaned.report.output);
    expect(steps[1]!.removed).toBe(steps[1]!.reasons['too-few-words']);
    expect(cleaned.report.input - steps[1]!.removed).toBe(out.length);
    // the 20-character quatrains (5 x 4, plus title and author) fall under 40 words; the long poems stay
    expect(steps[1]!.removed).toBeGreaterThan(20);
    expect(out.length).toBeGreaterThan(150);
  });

  it('names a malformed step with a ConfigError', () => {
    expect(() => cleanDocuments([], [upper, { name: 'bad' } as CleaningStep])).toThrowError(ConfigError);
    expect(() => cleanDocuments([], [upper, { name: 'bad' } as CleaningStep])).toThrowError(/steps\[1\] must be a cleaning step/);
  });

  it('cleanDocument cleans one document and accumulates into a report', () => {
    const report: CleaningReport = { input: 0, output: 0, steps: [] };
    expect(cleanDocument(' a  b ', [normalizeWhitespace()], report)).toBe('a b');
    expect(cleanDocument('X', [dropX], report)).toBeUndefined();
    expect(report.input).toBe(2);
  });
});
