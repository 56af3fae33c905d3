import { assert } from '../../utils/assert.js';
import { ConfigError, DataError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { CsvRecordParser } from './csv-record-parser.js';
import { createDocumentStream, type DocumentStream } from './document-stream.js';
import { expandPaths, type ExpandPathsOptions } from './glob.js';
import { readInputLines, type TextDecodingOptions } from './read-line-batches.js';
import type { BadRecordOptions } from './read-jsonl.js';
import { countSkip, createSourceReport, type SourceReport } from './source-report.js';

/**
 * Options of {@link readCsv}.
 * @example
 * ```ts
 * const options: ReadCsvOptions = { column: 'text', delimiter: ';' };
 * ```
 */
export interface ReadCsvOptions extends TextDecodingOptions, ExpandPathsOptions, BadRecordOptions {
  /** The column holding the document: a header name, or a 0-based index. */
  readonly column: string | number;
  /** Whether the first record of each file is a header row (default true; required for a named column). */
  readonly header?: boolean;
  /** The one-character field separator (default `,`). */
  readonly delimiter?: string;
}

function checkCsvOptions(options: ReadCsvOptions): void {
  const { column, delimiter = ',', header = true } = options ?? {};
  assert((typeof column === 'string' && column !== '') || (Number.isInteger(column) && (column as number) >= 0), ConfigError,
    () => `column (${describeJSON(column)}) must be a header name or a non-negative integer index`);
  assert(typeof column === 'number' || header, ConfigError, () => `column ${JSON.stringify(column)} is a name, which needs header: true`);
  assert(typeof delimiter === 'string' && delimiter.length === 1 && delimiter !== '"' && delimiter !== '\n', ConfigError,
    () => `delimiter (${describeJSON(delimiter)}) must be one character other than '"' and a line break`);
}

/**
 * Reads one document per record of CSV files (RFC 4180: quoted fields with `""` escapes and line
 * breaks, which become `\n`), plain or gzipped: the value in `column`. With a header row (the
 * default) every record must have as many fields as the header. A named column missing from a
 * header is a {@link DataError} listing the header; a malformed record (wrong field count, text
 * after a closing quote, a quote left open at the end) raises a {@link DataError} naming the file
 * and line, or is counted as `bad-record` with `onBadRecord: 'skip'`. Blank lines and empty values
 * are counted as `empty-document`.
 * @param patterns - file paths, folders or globs
 * @param options - the column, header, delimiter, encoding and bad-input handling
 * @example
 * ```ts
 * const kept: string[] = [];
 * const reviews = readCsv('reviews.csv', { column: 'body' });
 * for await (const review of reviews) kept.push(review);
 * ```
 */
export function readCsv(patterns: string | readonly string[], options: ReadCsvOptions): DocumentStream<SourceReport> {
  checkCsvOptions(options);
  const { column, header = true, delimiter = ',' } = options;
  return createDocumentStream(createSourceReport, async function* (report) {
    for (const file of await expandPaths(patterns, options)) {
      const parser = new CsvRecordParser(delimiter);
      let headerFields: string[] | undefined;
      let index = typeof column === 'number' ? column : -1;
      const bad = (line: number, problem: string): void => {
        assert(options.onBadRecord === 'skip', DataError, () => `${file} line ${line}: ${problem}; pass onBadRecord: 'skip' to skip such records`);
        countSkip(report, 'bad-record');
      };
      for await (const batch of readInputLines(file, file, options, report)) {
        for (let i = 0; i < batch.lines.length; i++) {
          const line = batch.lines[i];
          const lineNumber = batch.firstLineNumber + i;
          if (line === undefined) { countSkip(report, 'invalid-encoding'); continue; }
          if (!parser.pending && line === '') { countSkip(report, 'empty-document'); continue; }
          const result = parser.pushLine(line, lineNumber);
          if (result === undefined) continue;
          if ('problem' in result) { bad(result.line, result.problem); continue; }
          const { fields } = result;
          if (header && headerFields === undefined) {
            headerFields = fields;
            if (typeof column === 'string') index = fields.indexOf(column);
            assert(index >= 0 && index < fields.length, DataError, () => `${file}: no column ${describeJSON(column)} in the header (columns: ${fields.map((f) => JSON.stringify(f)).join(', ')})`);
            continue;
          }
          if (headerFields !== undefined && fields.length !== headerFields.length) {
            bad(result.line, `record has ${fields.length} fields, the header has ${headerFields.length}`);
          } else if (index >= fields.length) {
            bad(result.line, `record has ${fields.length} fields, so no column ${index}`);
          } else if (fields[index]!.trim() === '') countSkip(report, 'empty-document');
          else { report.documents++; yield fields[index]!; }
        }
      }
      if (parser.pending) bad(parser.pendingLine, 'a quoted field is still open at the end of the file');
    }
  });
}
