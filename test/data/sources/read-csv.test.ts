import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './collect.js';
import { CsvRecordParser } from '../../../src/data/sources/csv-record-parser.js';
import { readCsv } from '../../../src/data/sources/read-csv.js';
import { ConfigError, DataError } from '../../../src/utils/errors.js';


const dir = mkdtempSync(join(tmpdir(), 'wordforge-csv-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CsvRecordParser (RFC 4180)', () => {
  it('parses quoted delimiters, doubled quotes, empty quoted fields and line breaks', () => {
    const parser = new CsvRecordParser(',');
    expect(parser.pushLine('a,"b,c","say ""hi""",,""', 1)).toEqual({ fields: ['a', 'b,c', 'say "hi"', '', ''], line: 1 });
    expect(parser.pushLine('1,"two', 2)).toBeUndefined();
    expect(parser.pending).toBe(true);
    expect(parser.pushLine('', 3)).toBeUndefined();
    expect(parser.pushLine('lines",3', 4)).toEqual({ fields: ['1', 'two\n\nlines', '3'], line: 2 });
    expect(parser.pushLine('x"y,z', 5)).toEqual({ fields: ['x"y', 'z'], line: 5 });
    expect(parser.pushLine('"a"b,c', 6)).toEqual({ problem: 'unexpected "b" after a closing quote (column 4)', line: 6 });
    expect(new CsvRecordParser(';').pushLine('a;"b;c"', 1)).toEqual({ fields: ['a', 'b;c'], line: 1 });
  });
});

describe('readCsv', () => {
  const reviews = file('reviews.csv', 'id,text,stars\r\n1,"Great, really ""great""",5\r\n2,"two\r\nlines",4\r\n\r\n3,,1\r\n4,plain,3\r\n');

  it('reads a named or numbered column, with quoted multi-line fields', async () => {
    const docs = readCsv(reviews, { column: 'text' });
    expect(await collect(docs)).toEqual(['Great, really "great"', 'two\nlines', 'plain']);
    expect(docs.report.skipped).toEqual({ 'empty-document': 2 });
    expect(await collect(readCsv(reviews, { column: 2 }))).toEqual(['5', '4', '1', '3']);
    expect(await collect(readCsv(reviews, { column: 0, header: false }))).toEqual(['id', '1', '2', '3', '4']);
  });

  it('lists the header when the column is missing', async () => {
    await expect(collect(readCsv(reviews, { column: 'body' }))).rejects.toThrowError(
      `${reviews}: no column "body" in the header (columns: "id", "text", "stars")`);
  });

  it('names the line of a record with the wrong number of fields or an open quote', async () => {
    const ragged = file('ragged.csv', 'a,b\n1,2\n3\n"4,5\n');
    await expect(collect(readCsv(ragged, { column: 'b' }))).rejects.toThrowError(DataError);
    await expect(collect(readCsv(ragged, { column: 'b' }))).rejects.toThrowError(`${ragged} line 3: record has 1 fields, the header has 2`);
    const open = file('open.csv', 'a,b\n1,2\n3,"never\nclosed\n');
    await expect(collect(readCsv(open, { column: 'b' }))).rejects.toThrowError(`${open} line 3: a quoted field is still open at the end of the file`);
    const docs = readCsv([ragged, open], { column: 'b', onBadRecord: 'skip' });
    expect(await collect(docs)).toEqual(['2', '2']);
    expect(docs.report.skipped).toEqual({ 'bad-record': 3 });
  });

  it('validates its options with ConfigErrors', () => {
    expect(() => readCsv(reviews, { column: -1 })).toThrowError(ConfigError);
    expect(() => readCsv(reviews, { column: 'text', header: false })).toThrowError(/needs header: true/);
    expect(() => readCsv(reviews, { column: 'text', delimiter: '"' })).toThrowError(/delimiter/);
  });
});

describe('readCsv against Python', () => {
  it("reads what Python's csv.writer wrote as csv.reader reads it back (\\r\\n in fields as \\n)", async () => {
    const csvPath = new URL('./fixtures/python-written.csv', import.meta.url).pathname;
    const expected = JSON.parse((await import('node:fs')).readFileSync(new URL('./fixtures/python-written.expected.json', import.meta.url), 'utf8')) as
      { text: string[]; note: string[]; emptyText: number };
    const text = readCsv(csvPath, { column: 'text' });
    expect(await collect(text)).toEqual(expected.text);
    expect(text.report.skipped).toEqual(expected.emptyText > 0 ? { 'empty-document': expected.emptyText } : {});
    expect(await collect(readCsv(csvPath, { column: 2 }))).toEqual(expected.note);
  });
});
