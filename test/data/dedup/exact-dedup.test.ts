import { describe, expect, it } from 'vitest';
import { exactDedup, normalizeForExactDedup } from '../../../src/data/dedup/exact-dedup.js';
import type { DuplicateEvent } from '../../../src/data/dedup/duplicate-event.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { collect } from '../sources/collect.js';

describe('exactDedup', () => {
  it('keeps the first of each group of equal normalised texts and reports the others', async () => {
    const events: DuplicateEvent[] = [];
    const deduped = exactDedup(['a b', 'c', 'a  b\n', 'A b', 'c'], { onDuplicate: (e) => events.push(e) });
    expect(await collect(deduped)).toEqual(['a b', 'c', 'A b']);
    expect(deduped.report).toEqual({ documents: 5, kept: 3, removed: 2 });
    expect(events).toEqual([{ index: 2, duplicateOf: 0, similarity: 1 }, { index: 4, duplicateOf: 1, similarity: 1 }]);
  });

  it('takes a custom normalisation', async () => {
    expect(await collect(exactDedup(['Hello', 'hello', 'HELLO!'], { normalize: (t) => t.toLowerCase() }))).toEqual(['Hello', 'HELLO!']);
    expect(normalizeForExactDedup(' e\u0301 \n x ')).toBe('é x');
  });

  it('finds the poems that appear in both the Tang and Song collections, or twice in one', async () => {
    const paths = ['tang300', 'song100'].map((f) => new URL(`../../../../shared/data/${f}.txt`, import.meta.url).pathname);
    const poems = readTextFiles(paths, { split: { separatorLine: '%' } });
    const all = await collect(poems);
    const deduped = exactDedup(all);
    const unique = await collect(deduped);
    expect(unique.length).toBe(new Set(all.map(normalizeForExactDedup)).size);
    const doubled = exactDedup([...all, ...all.slice(0, 50)]);
    expect(await collect(doubled)).toEqual(unique);
    expect(doubled.report.removed).toBe(all.length - unique.length + 50);
  });
});
