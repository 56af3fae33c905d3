import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { createDocumentStream, type DocumentStream } from './document-stream.js';
import { expandPaths, type ExpandPathsOptions } from './glob.js';
import { readInputLines, type TextDecodingOptions, type LineBatch } from './read-line-batches.js';
import { countSkip, createSourceReport, type SourceReport } from './source-report.js';

/**
 * Where one document ends and the next begins in a text input:
 * - `'file'`: the whole input is one document;
 * - `'line'`: each line is a document;
 * - `'paragraph'`: documents are separated by one or more blank lines;
 * - `{ separatorLine: '%' }`: documents are separated by lines holding only that text (surrounding
 *   whitespace ignored), as in fortune files and the Tang and Song poem collections.
 *
 * Lines are joined with `\n` (so `\r\n` becomes `\n`); blank lines at the start and end of a
 * document are dropped. Whitespace-only documents are skipped and counted as `empty-document`.
 * @example
 * ```ts
 * const split: DocumentSplit = { separatorLine: '%' };
 * ```
 */
export type DocumentSplit = 'file' | 'line' | 'paragraph' | {
  /** The text of a separator line, such as `%`. */
  readonly separatorLine: string;
};

/**
 * Options of {@link readTextFiles} and {@link readTextStream}.
 * @example
 * ```ts
 * const options: ReadTextOptions = { split: 'line', onBinary: 'skip', recursive: true };
 * ```
 */
export interface ReadTextOptions extends TextDecodingOptions, ExpandPathsOptions {
  /** Where documents end (default `'file'`). */
  readonly split?: DocumentSplit;
}

const isBlank = (line: string): boolean => line.trim() === '';

function checkSplit(split: DocumentSplit): void {
  const ok = split === 'file' || split === 'line' || split === 'paragraph'
    || (typeof split === 'object' && split !== null && typeof split.separatorLine === 'string' && split.separatorLine.trim() !== '');
  assert(ok, ConfigError, () => `split (${describeJSON(split)}) must be 'file', 'line', 'paragraph' or { separatorLine: non-blank text }`);
}

/**
 * Groups decoded lines into documents according to `split`, counting skipped ones.
 * @param batches - decoded lines of one input
 * @param split - where documents end
 * @param report - counts documents and skips
 * @example
 * ```ts
 * const report = createSourceReport();
 * const paragraphs: string[] = [];
 * for await (const doc of assembleDocuments(readInputLines('a.txt', 'a.txt', {}, report), 'paragraph', report)) paragraphs.push(doc);
 * ```
 */
export async function* assembleDocuments(
  batches: AsyncIterable<LineBatch>, split: DocumentSplit, report: SourceReport,
): AsyncGenerator<string> {
  const separator = typeof split === 'object' ? split.separatorLine.trim() : undefined;
  let lines: string[] = [];
  let invalid = false;
  const take = (countEmpty: boolean): string | undefined => {
    let first = 0;
    let last = lines.length;
    while (first < last && isBlank(lines[first]!)) first++;
    while (last > first && isBlank(lines[last - 1]!)) last--;
    const doc = invalid ? undefined : lines.slice(first, last).join('\n');
    if (invalid) countSkip(report, 'invalid-encoding');
    else if (doc === '' && countEmpty) countSkip(report, 'empty-document');
    lines = [];
    invalid = false;
    if (doc === undefined || doc === '') return undefined;
    report.documents++;
    return doc;
  };
  let sawLines = false;
  for await (const batch of batches) {
    sawLines = true;
    for (const line of batch.lines) {
      if (split === 'line') {
        if (line === undefined) countSkip(report, 'invalid-encoding');
        else if (isBlank(line)) countSkip(report, 'empty-document');
        else { report.documents++; yield line; }
        continue;
      }
      let ends = false;
      if (line === undefined) invalid = true;
      else if (separator !== undefined && line.trim() === separator) ends = true;
      else if (split === 'paragraph' && isBlank(line)) ends = lines.length > 0 || invalid;
      else lines.push(line);
      if (!ends) continue;
      const doc = take(true);
      if (doc !== undefined) yield doc;
    }
  }
  if (split === 'line') return;
  if (split === 'file' ? !sawLines : !invalid && lines.every(isBlank)) return; // nothing after the last separator
  const doc = take(true);
  if (doc !== undefined) yield doc;
}

/**
 * Reads documents from text files: plain or gzipped (detected by content), strict UTF-8 with the
 * byte-order mark stripped (or latin1), one document per file, line, paragraph or separator line.
 * Streams: memory holds one read chunk and one document. Files come in sorted path order.
 * Bad input raises a {@link DataError} (invalid UTF-8 with file, byte offset and line; binary
 * files; missing files; globs matching nothing) or, where asked, is skipped and counted in the
 * report; empty files and empty documents are always skipped and counted.
 * @param patterns - file paths, folders or globs (`*`, `**`, `?`, `[abc]`, `{a,b}`)
 * @param options - document split, encoding, recursion and bad-input handling
 * @example
 * ```ts
 * const kept: string[] = [];
 * const poems = readTextFiles('shared/data/{tang300,song100}.txt', { split: { separatorLine: '%' } });
 * for await (const poem of poems) kept.push(poem);
 * poems.report; // { documents: 400, files: 2, skipped: {}, skippedFiles: [] }
 * ```
 */
export function readTextFiles(patterns: string | readonly string[], options: ReadTextOptions = {}): DocumentStream<SourceReport> {
  const split = options.split ?? 'file';
  checkSplit(split);
  return createDocumentStream(createSourceReport, async function* (report) {
    for (const path of await expandPaths(patterns, options)) {
      yield* assembleDocuments(readInputLines(path, path, options, report), split, report);
    }
  });
}

/**
 * Reads documents from one byte stream (plain or gzipped), such as `process.stdin` or a network
 * response body, exactly as {@link readTextFiles} reads a file. The stream can be iterated once.
 * @param bytes - the raw bytes
 * @param options - document split, encoding and bad-input handling, plus `name` for messages
 * @example
 * ```ts
 * const lines: string[] = [];
 * for await (const line of readTextStream(process.stdin, { split: 'line', name: 'stdin' })) lines.push(line);
 * ```
 */
export function readTextStream(
  bytes: AsyncIterable<Uint8Array>, options: ReadTextOptions & { readonly name?: string } = {},
): DocumentStream<SourceReport> {
  const split = options.split ?? 'file';
  checkSplit(split);
  const name = options.name ?? 'stream';
  return createDocumentStream(createSourceReport, (report) => assembleDocuments(readInputLines(bytes, name, options, report), split, report));
}
