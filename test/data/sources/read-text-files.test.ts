import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collect } from './collect.js';
import { readTextFiles, readTextStream } from '../../../src/data/sources/read-text-files.js';
import { findInvalidUtf8 } from '../../../src/data/sources/find-invalid-utf8.js';
import { ConfigError, DataError } from '../../../src/utils/errors.js';

const tang = new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname;
const song = new URL('../../../../shared/data/song100.txt', import.meta.url).pathname;


function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wordforge-sources-'));
}

describe('readTextFiles on the Tang and Song poems (entries separated by % lines)', () => {
  it('reads every poem, as Python splitting on % lines does (313 + 96 poems, same characters)', async () => {
    const poems = readTextFiles([tang, song], { split: { separatorLine: '%' } });
    const docs = await collect(poems);
    expect(docs).toHaveLength(313 + 96);
    expect(docs[0]).toBe('《感遇・其一》\n作者：张九龄\n兰叶春葳蕤，桂华秋皎洁。\n欣欣此生意，自尔为佳节。\n谁知林栖者，闻风坐相悦。\n草木有本心，何求美人折？');
    expect(docs.slice(0, 313).reduce((n, d) => n + [...d].length, 0)).toBe(28952);
    expect(docs.slice(313).reduce((n, d) => n + [...d].length, 0)).toBe(9463);
    expect(poems.report).toEqual({ documents: 409, files: 2, skipped: {}, skippedFiles: [] });
  });

  it('reads the same poems from a gzipped copy, and from streams of 1-byte chunks (plain and gzipped)', async () => {
    const dir = tempDir();
    const bytes = (await import('node:fs')).readFileSync(tang);
    writeFileSync(join(dir, 'tang.txt.gz'), gzipSync(bytes));
    const plain = await collect(readTextFiles(tang, { split: { separatorLine: '%' } }));
    expect(await collect(readTextFiles(join(dir, 'tang.txt.gz'), { split: { separatorLine: '%' } }))).toEqual(plain);
    const end = bytes.indexOf('\n%\n', 20000) + 3; // the first 20 KB, cut after a separator
    const oneByteChunks = Readable.from((function* () { for (let i = 0; i < end; i++) yield bytes.subarray(i, i + 1); })());
    const streamed = await collect(readTextStream(oneByteChunks, { split: { separatorLine: '%' } }));
    expect(streamed.length).toBeGreaterThan(50);
    expect(streamed).toEqual(plain.slice(0, streamed.length));
    expect(plain[streamed.length - 1]!.length).toBeGreaterThan(0);
    const gz = gzipSync(bytes.subarray(0, end));
    const gzChunks = Readable.from((function* () { for (let i = 0; i < gz.length; i++) yield gz.subarray(i, i + 1); })());
    expect(await collect(readTextStream(gzChunks, { split: { separatorLine: '%' } }))).toEqual(streamed);
  });
});

describe('readTextFiles splits and skips', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'bom-crlf.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first line\r\n\r\nsecond\r\nthird\r\n')]));
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'blank.txt'), ' \n\t\n');

  it('strips the UTF-8 byte-order mark and \\r, and splits by line, paragraph or file', async () => {
    const file = join(dir, 'bom-crlf.txt');
    const lines = readTextFiles(file, { split: 'line' });
    expect(await collect(lines)).toEqual(['first line', 'second', 'third']);
    expect(lines.report.skipped).toEqual({ 'empty-document': 1 });
    expect(await collect(readTextFiles(file, { split: 'paragraph' }))).toEqual(['first line', 'second\nthird']);
    expect(await collect(readTextFiles(file))).toEqual(['first line\n\nsecond\nthird']);
  });

  it('counts empty files and whitespace-only documents instead of yielding them', async () => {
    const docs = readTextFiles([join(dir, 'empty.txt'), join(dir, 'blank.txt')]);
    expect(await collect(docs)).toEqual([]);
    expect(docs.report.files).toBe(2);
    expect(docs.report.skipped).toEqual({ 'empty-file': 1, 'empty-document': 1 });
    expect(docs.report.skippedFiles).toEqual([`${join(dir, 'empty.txt')} (empty-file)`]);
  });

  it('counts empty documents between separators but not after the last one', async () => {
    writeFileSync(join(dir, 'sep.txt'), 'a\n%\n%\n\nb\n %\n\n');
    const docs = readTextFiles(join(dir, 'sep.txt'), { split: { separatorLine: '%' } });
    expect(await collect(docs)).toEqual(['a', 'b']);
    expect(docs.report.skipped).toEqual({ 'empty-document': 1 });
  });

  it('starts a fresh report on each iteration', async () => {
    const docs = readTextFiles(join(dir, 'bom-crlf.txt'), { split: 'line' });
    await collect(docs);
    await collect(docs);
    expect(docs.report.documents).toBe(3);
  });

  it('rejects a bad split with a ConfigError', () => {
    expect(() => readTextFiles(dir, { split: { separatorLine: ' ' } })).toThrowError(ConfigError);
    expect(() => readTextFiles(dir, { split: 'lines' as 'line' })).toThrowError(/split \("lines"\)/);
  });
});

describe('bad input: invalid UTF-8 and binary files', () => {
  const dir = tempDir();
  const invalid = join(dir, 'invalid.txt');
  // line 2 holds a lone continuation byte at byte offset 6 + 5 = 11
  writeFileSync(invalid, Buffer.concat([Buffer.from('hello\nabc d'), Buffer.from([0x80]), Buffer.from('\nlast ünicode\n')]));
  const truncated = join(dir, 'truncated.txt');
  writeFileSync(truncated, Buffer.concat([Buffer.from('ok\n中'), Buffer.from([0xe6, 0x96])]));
  const binary = join(dir, 'image.png');
  writeFileSync(binary, Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(16), Buffer.from('IHDR')]));
  const utf16 = join(dir, 'utf16.txt');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]));

  it('raises a DataError naming the file, byte offset and line', async () => {
    await expect(collect(readTextFiles(invalid, { split: 'line' }))).rejects.toThrowError(DataError);
    await expect(collect(readTextFiles(invalid, { split: 'line' }))).rejects.toThrowError(`invalid UTF-8 in ${invalid} at byte offset 11 (line 2)`);
    await expect(collect(readTextFiles(truncated))).rejects.toThrowError(`at byte offset 6 (line 2)`);
  });

  it("skips the documents holding invalid UTF-8 with onInvalid: 'skip', and counts them", async () => {
    const lines = readTextFiles(invalid, { split: 'line', onInvalid: 'skip' });
    expect(await collect(lines)).toEqual(['hello', 'last ünicode']);
    expect(lines.report.skipped).toEqual({ 'invalid-encoding': 1 });
    const whole = readTextFiles(invalid, { onInvalid: 'skip' });
    expect(await collect(whole)).toEqual([]);
    expect(whole.report.skipped).toEqual({ 'invalid-encoding': 1 });
  });

  it('reads latin1 when asked', async () => {
    expect(await collect(readTextFiles(invalid, { split: 'line', encoding: 'latin1' }))).toEqual(['hello', 'abc d\u0080', 'last Ã¼nicode']);
  });

  it("refuses binary and UTF-16 files, or skips and counts them with onBinary: 'skip'", async () => {
    await expect(collect(readTextFiles(binary))).rejects.toThrowError(/image\.png has a NUL byte at offset 9 \(a binary file\)/);
    await expect(collect(readTextFiles(utf16))).rejects.toThrowError(/UTF-16/);
    const docs = readTextFiles([binary, utf16, invalid], { onBinary: 'skip', onInvalid: 'skip', split: 'line' });
    expect(await collect(docs)).toHaveLength(2);
    expect(docs.report.skipped).toEqual({ 'binary-file': 2, 'invalid-encoding': 1 });
    expect(docs.report.skippedFiles).toEqual([`${binary} (binary-file)`, `${utf16} (binary-file)`]);
  });

  it('turns corrupt gzip data and missing files into DataErrors', async () => {
    const gz = join(dir, 'bad.gz');
    writeFileSync(gz, Buffer.concat([gzipSync('some text').subarray(0, 12), Buffer.from('garbage')]));
    await expect(collect(readTextFiles(gz))).rejects.toThrowError(new RegExp(`cannot read ${gz}`));
    await expect(collect(readTextFiles(join(dir, 'nope.txt')))).rejects.toThrowError(DataError);
  });

  it('findInvalidUtf8 rejects overlong forms, surrogates and code points above U+10FFFF', () => {
    expect(findInvalidUtf8(Buffer.from('aé中😀'))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.of(0x61, 0xc0, 0xaf))).toBe(1); // overlong '/'
    expect(findInvalidUtf8(Uint8Array.of(0xe0, 0x80, 0xaf))).toBe(0); // overlong 3-byte
    expect(findInvalidUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(0); // surrogate U+D800
    expect(findInvalidUtf8(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe(0); // U+110000
    expect(findInvalidUtf8(Uint8Array.of(0x61, 0x62, 0xf0, 0x9f, 0x98))).toBe(2); // truncated
  });
});

describe('folders and globs', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  mkdirSync(join(dir, '.hidden'));
  for (const [path, text] of [['top.txt', 'top'], ['a/one.md', 'one'], ['a/b/two.txt', 'two'], ['.hidden/x.txt', 'x'], ['a/b/skip.csv', 'csv']]) {
    writeFileSync(join(dir, path!), text!);
  }

  it('reads a folder recursively by default, sorted, without dot files', async () => {
    expect(await collect(readTextFiles(dir))).toEqual(['csv', 'two', 'one', 'top']);
    expect(await collect(readTextFiles(dir, { recursive: false }))).toEqual(['top']);
    expect(await collect(readTextFiles(dir, { dot: true }))).toContain('x');
  });

  it('expands **, * and {a,b}, and names a glob that matches nothing', async () => {
    expect(await collect(readTextFiles(`${dir}/**/*.{txt,md}`))).toEqual(['two', 'one', 'top']);
    expect(await collect(readTextFiles(`${dir}/*/*.md`))).toEqual(['one']);
    await expect(collect(readTextFiles(`${dir}/**/*.json`))).rejects.toThrowError(/no files match ".*\*\*\/\*\.json"/);
  });
});
