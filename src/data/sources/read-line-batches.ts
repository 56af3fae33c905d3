import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { assert } from '../../utils/assert.js';
import { DataError, WordforgeError } from '../../utils/errors.js';
import { findInvalidUtf8 } from './find-invalid-utf8.js';
import { countSkip, type SourceReport } from './source-report.js';

/**
 * How a source decodes bytes into lines.
 * @example
 * ```ts
 * const options: TextDecodingOptions = { encoding: 'utf-8', onInvalid: 'skip', onBinary: 'skip' };
 * ```
 */
export interface TextDecodingOptions {
  /** `'utf-8'` (strict; the default) or `'latin1'` (ISO-8859-1: each byte is one character, none is invalid). */
  readonly encoding?: 'utf-8' | 'latin1';
  /**
   * On invalid UTF-8: `'error'` (the default) throws a {@link DataError} naming the file, the byte
   * offset and the line; `'skip'` drops the document holding it and counts it as `invalid-encoding`.
   */
  readonly onInvalid?: 'error' | 'skip';
  /**
   * On a binary file (a NUL byte in its first KiB, or a UTF-16 byte-order mark): `'error'` (the
   * default) throws a {@link DataError}; `'skip'` skips the file and counts it as `binary-file`.
   */
  readonly onBinary?: 'error' | 'skip';
}

/**
 * Consecutive lines of one input, decoded, without their `\n` or `\r\n`. A line is undefined where
 * it held invalid UTF-8 and `onInvalid` is `'skip'`.
 */
export interface LineBatch {
  /** 1-based line number of `lines[0]`. */
  readonly firstLineNumber: number;
  /** The decoded lines. */
  readonly lines: ReadonlyArray<string | undefined>;
}

/** Bytes sniffed for NUL to tell binary from text, as git and grep do. */
const SNIFF_BYTES = 1024;
const NEWLINE = 0x0a;

function concatBytes(parts: Uint8Array[], length: number): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Why `head` (the first bytes of an input) is not text, or undefined when it may be. */
function binaryReason(head: Uint8Array): string | undefined {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return 'starts with a UTF-16 byte-order mark (convert it to UTF-8)';
  }
  const nul = head.subarray(0, SNIFF_BYTES).indexOf(0);
  return nul >= 0 ? `has a NUL byte at offset ${nul} (a binary file)` : undefined;
}

/** Decodes whole lines (the block holds no final newline), locating any invalid sequence. */
function decodeBlock(
  decoder: TextDecoder, block: Uint8Array, blockOffset: number, firstLineNumber: number,
  name: string, onInvalid: 'error' | 'skip',
): Array<string | undefined> {
  try {
    return decoder.decode(block).split('\n').map(stripCarriageReturn);
  } catch {
    const lines: Array<string | undefined> = [];
    for (let start = 0; ;) {
      const newline = block.indexOf(NEWLINE, start);
      const end = newline < 0 ? block.length : newline;
      const bad = findInvalidUtf8(block.subarray(start, end));
      if (bad < 0) lines.push(stripCarriageReturn(decoder.decode(block.subarray(start, end))));
      else if (onInvalid === 'skip') lines.push(undefined);
      else {
        throw new DataError(`invalid UTF-8 in ${name} at byte offset ${blockOffset + start + bad} `
          + `(line ${firstLineNumber + lines.length}); pass onInvalid: 'skip' to drop such documents`);
      }
      if (newline < 0) return lines;
      start = newline + 1;
    }
  }
}

/**
 * Splits a byte stream into decoded lines, in batches (one per chunk read), holding at most one
 * chunk plus one unfinished line in memory. Splitting happens on bytes (0x0A never occurs inside a
 * multi-byte UTF-8 sequence), so an invalid sequence is located exactly. A UTF-8 byte-order mark
 * is stripped; an empty input is counted as `empty-file` and a binary one refused or counted.
 * @param chunks - the raw bytes (already gunzipped)
 * @param name - names the input in errors and in the report
 * @param options - encoding and what to do with bad input
 * @param report - receives the counts of skipped files
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * let lineCount = 0;
 * for await (const batch of readLineBatches(createReadStream('a.txt'), 'a.txt', {}, createSourceReport())) lineCount += batch.lines.length;
 * ```
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>, name: string, options: TextDecodingOptions, report: SourceReport,
): AsyncGenerator<LineBatch> {
  const encoding = options.encoding ?? 'utf-8';
  assert(encoding === 'utf-8' || encoding === 'latin1', DataError,
    () => `encoding (${String(encoding)}) must be 'utf-8' or 'latin1'`);
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const onInvalid = options.onInvalid ?? 'error';
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let offset = 0; // byte offset of the first pending byte in the input
  let lineNumber = 1;
  let sniffed = false;
  let received = 0;
  let bomLength = 0;
  const start = (): boolean => { // false when the input is refused as binary (and skipped)
    sniffed = true;
    let head = concatBytes(parts, partsLength);
    const reason = binaryReason(head);
    if (reason !== undefined) {
      assert(options.onBinary === 'skip', DataError, () => `${name} ${reason}; pass onBinary: 'skip' to skip such files`);
      countSkip(report, 'binary-file', name);
      return false;
    }
    if (encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      head = head.subarray(3);
      offset = bomLength = 3;
    }
    parts = [head];
    partsLength = head.length;
    return true;
  };
  for await (const chunk of chunks) {
    parts.push(chunk);
    partsLength += chunk.length;
    received += chunk.length;
    if (!sniffed) {
      if (partsLength < SNIFF_BYTES) continue;
      if (!start()) return;
    } else if (chunk.indexOf(NEWLINE) < 0) continue;
    const bytes = concatBytes(parts, partsLength);
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline < 0) { parts = [bytes]; continue; }
    const lines = decodeBlock(decoder, bytes.subarray(0, lastNewline), offset, lineNumber, name, onInvalid);
    yield { firstLineNumber: lineNumber, lines };
    lineNumber += lines.length;
    offset += lastNewline + 1;
    parts = [bytes.subarray(lastNewline + 1)];
    partsLength = parts[0]!.length;
  }
  if (!sniffed && !start()) return;
  if (received === bomLength) { countSkip(report, 'empty-file', name); return; }
  let rest = concatBytes(parts, partsLength);
  if (rest[rest.length - 1] === NEWLINE) rest = rest.subarray(0, -1); // a short input never went through the loop
  if (rest.length > 0 || partsLength > 0) {
    yield { firstLineNumber: lineNumber, lines: decodeBlock(decoder, rest, offset, lineNumber, name, onInvalid) };
  }
}

/**
 * The bytes of `chunks`, gunzipped when they start with the gzip magic number (1F 8B).
 * @param chunks - raw bytes, e.g. a file stream
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * let byteCount = 0;
 * for await (const bytes of gunzipIfCompressed(createReadStream('corpus.txt.gz'))) byteCount += bytes.length;
 * ```
 */
export async function* gunzipIfCompressed(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 2) { // the magic number may arrive split over tiny chunks
    const next = await iterator.next();
    if (next.done === true) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) return;
  const all = async function* (): AsyncGenerator<Uint8Array> {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  };
  if (head[0] !== 0x1f || head[1] !== 0x8b) { yield* all(); return; }
  const gunzip = createGunzip();
  pipeline(Readable.from(all()), gunzip, () => { /* errors reach the consumer through gunzip */ });
  for await (const bytes of gunzip) yield bytes as Uint8Array;
}

/**
 * The decoded lines of a plain or gzipped file or byte stream; errors other than typed ones
 * (missing file, corrupt gzip data) become a {@link DataError} naming the input.
 * @param input - a file path, or a byte stream such as `process.stdin`
 * @param name - names the input in errors
 * @param options - encoding and what to do with bad input
 * @param report - counts files and skips
 * @example
 * ```ts
 * let lineCount = 0;
 * for await (const batch of readInputLines('corpus.txt.gz', 'corpus.txt.gz', {}, createSourceReport())) lineCount += batch.lines.length;
 * ```
 */
export async function* readInputLines(
  input: string | AsyncIterable<Uint8Array>, name: string, options: TextDecodingOptions, report: SourceReport,
): AsyncGenerator<LineBatch> {
  report.files++;
  try {
    const bytes = typeof input === 'string' ? createReadStream(input) : input;
    yield* readLineBatches(gunzipIfCompressed(bytes), name, options, report);
  } catch (error) {
    if (error instanceof WordforgeError) throw error;
    throw new DataError(`cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
