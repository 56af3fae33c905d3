import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collect } from './collect.js';
import { readJsonl } from '../../../src/data/sources/read-jsonl.js';
import { fromArray, fromAsyncIterable } from '../../../src/data/sources/from-iterable.js';
import { ConfigError, DataError } from '../../../src/utils/errors.js';


const dir = mkdtempSync(join(tmpdir(), 'wordforge-jsonl-'));
const good = join(dir, 'good.jsonl');
writeFileSync(good, [
  '{"id":1,"meta":{"text":"first \\"quoted\\"\\nsecond line"}}',
  '',
  '{"id":2,"meta":{"text":"中文 ok"}}',
  '{"id":3,"meta":{"text":"   "}}',
].join('\n'));
const bad = join(dir, 'bad.jsonl');
writeFileSync(bad, [
  '{"meta":{"text":"fine"}}',
  '{"id":2,"meta":{"title":"no text","lang":"en"}}',
  '{"id":3,"meta":{"text":42}}',
  '{"id":4,"meta":"flat"}',
  '{not json}',
  '[1,2]',
].join('\n'));

describe('readJsonl', () => {
  it('reads a dotted field, counting blank lines and empty values', async () => {
    const docs = readJsonl(good, { field: 'meta.text' });
    expect(await collect(docs)).toEqual(['first "quoted"\nsecond line', '中文 ok']);
    expect(docs.report).toEqual({ documents: 2, files: 1, skipped: { 'empty-document': 2 }, skippedFiles: [] });
  });

  it('reads gzipped JSONL', async () => {
    const gz = join(dir, 'good.jsonl.gz');
    writeFileSync(gz, gzipSync(Buffer.from('{"text":"a"}\n{"text":"b"}\n')));
    expect(await collect(readJsonl(gz, { field: 'text' }))).toEqual(['a', 'b']);
  });

  it('names the line number and the available keys when the field is missing', async () => {
    await expect(collect(readJsonl(bad, { field: 'meta.text' }))).rejects.toThrowError(DataError);
    await expect(collect(readJsonl(bad, { field: 'meta.text' }))).rejects.toThrowError(
      `${bad} line 2: no field "meta.text" (keys of "meta": "title", "lang")`);
    await expect(collect(readJsonl(bad, { field: 'body' }))).rejects.toThrowError(
      `${bad} line 1: no field "body" (keys of the record: "meta")`);
  });

  it('names non-string values, non-object records and invalid JSON', async () => {
    const lines = bad.length;
    expect(lines).toBeGreaterThan(0);
    const onlyLine = async (n: number): Promise<string> => {
      const file = join(dir, `line${n}.jsonl`);
      writeFileSync(file, `{"meta":{"text":"x"}}\n${(await import('node:fs')).readFileSync(bad, 'utf8').split('\n')[n - 1]}\n`);
      return collect(readJsonl(file, { field: 'meta.text' })).then(() => 'no error', (e: Error) => e.message);
    };
    expect(await onlyLine(3)).toMatch(/line 2: field "meta.text" is not a string: 42/);
    expect(await onlyLine(4)).toMatch(/line 2: "meta" is not an object \("flat"\)/);
    expect(await onlyLine(5)).toMatch(/line 2: invalid JSON \(/);
    expect(await onlyLine(6)).toMatch(/line 2: the record is not an object \(\[1,2\]\)/);
  });

  it("skips and counts bad records with onBadRecord: 'skip'", async () => {
    const docs = readJsonl(bad, { field: 'meta.text', onBadRecord: 'skip' });
    expect(await collect(docs)).toEqual(['fine']);
    expect(docs.report.skipped).toEqual({ 'bad-record': 5 });
  });

  it('rejects an empty or malformed field path with a ConfigError', () => {
    expect(() => readJsonl(good, { field: '' })).toThrowError(ConfigError);
    expect(() => readJsonl(good, { field: 'a..b' })).toThrowError(/field \("a..b"\)/);
  });
});

describe('fromArray and fromAsyncIterable', () => {
  it('wrap strings, count empty ones and name a non-string item', async () => {
    const docs = fromArray(['a', ' ', 'b']);
    expect(await collect(docs)).toEqual(['a', 'b']);
    expect(await collect(docs)).toEqual(['a', 'b']);
    expect(docs.report).toEqual({ documents: 2, files: 0, skipped: { 'empty-document': 1 }, skippedFiles: [] });
    async function* gen(): AsyncGenerator<unknown> { yield 'x'; yield 7; }
    await expect(collect(fromAsyncIterable(gen() as AsyncIterable<string>))).rejects.toThrowError('document 1 is not a string: 7');
  });
});
