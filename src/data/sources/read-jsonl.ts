import { assert } from '../../utils/assert.js';
import { ConfigError, DataError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { createDocumentStream, type DocumentStream } from './document-stream.js';
import { expandPaths, type ExpandPathsOptions } from './glob.js';
import { readInputLines, type TextDecodingOptions } from './read-line-batches.js';
import { countSkip, createSourceReport, type SourceReport } from './source-report.js';

/**
 * What a structured source (JSONL, CSV) does with a record it cannot use.
 * @example
 * ```ts
 * const options: BadRecordOptions = { onBadRecord: 'skip' };
 * ```
 */
export interface BadRecordOptions {
  /**
   * On a malformed record, or one without the field or column: `'error'` (the default) throws a
   * {@link DataError} naming the file, the line and what is there; `'skip'` counts it as `bad-record`.
   */
  readonly onBadRecord?: 'error' | 'skip';
}

/**
 * Options of {@link readJsonl}.
 * @example
 * ```ts
 * const options: ReadJsonlOptions = { field: 'meta.text', onBadRecord: 'skip' };
 * ```
 */
export interface ReadJsonlOptions extends TextDecodingOptions, ExpandPathsOptions, BadRecordOptions {
  /** The string field holding the document; a dotted path (`meta.text`) reaches into nested objects. */
  readonly field: string;
}

/** The value at `path` in a parsed record, or a message saying why there is none. */
function lookupField(record: unknown, path: readonly string[], field: string): { value: unknown } | { problem: string } {
  let node = record;
  for (let i = 0; i < path.length; i++) {
    const where = i === 0 ? 'the record' : `"${path.slice(0, i).join('.')}"`;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return { problem: `${where} is not an object (${describeJSON(node, 80)}), so it has no field "${field}"` };
    }
    if (!Object.hasOwn(node, path[i]!)) {
      const keys = Object.keys(node);
      const shown = keys.length === 0 ? 'none' : keys.slice(0, 20).map((k) => JSON.stringify(k)).join(', ') + (keys.length > 20 ? ', ...' : '');
      return { problem: `no field "${field}" (keys of ${where}: ${shown})` };
    }
    node = (node as Record<string, unknown>)[path[i]!];
  }
  return typeof node === 'string' ? { value: node } : { problem: `field "${field}" is not a string: ${describeJSON(node, 80)}` };
}

/**
 * Reads one document per line of JSON Lines files (plain or gzipped): the string at `field`.
 * Blank lines and whitespace-only documents are counted as `empty-document`. A line that is not
 * JSON, or whose record lacks the field, raises a {@link DataError} naming the file, the line
 * number and the keys that are there, or is counted as `bad-record` with `onBadRecord: 'skip'`.
 * @param patterns - file paths, folders or globs
 * @param options - the field, encoding and bad-input handling
 * @example
 * ```ts
 * const kept: string[] = [];
 * const texts = readJsonl('dump/*.jsonl.gz', { field: 'meta.text' });
 * for await (const text of texts) kept.push(text);
 * ```
 */
export function readJsonl(patterns: string | readonly string[], options: ReadJsonlOptions): DocumentStream<SourceReport> {
  const field = options?.field;
  assert(typeof field === 'string' && field !== '' && field.split('.').every((k) => k !== ''), ConfigError,
    () => `field (${describeJSON(field)}) must be a non-empty dotted path such as "text" or "meta.text"`);
  const path = field.split('.');
  return createDocumentStream(createSourceReport, async function* (report) {
    for (const file of await expandPaths(patterns, options)) {
      for await (const batch of readInputLines(file, file, options, report)) {
        for (let i = 0; i < batch.lines.length; i++) {
          const line = batch.lines[i];
          if (line === undefined) { countSkip(report, 'invalid-encoding'); continue; }
          if (line.trim() === '') { countSkip(report, 'empty-document'); continue; }
          let found: { value: unknown } | { problem: string };
          try {
            found = lookupField(JSON.parse(line), path, field);
          } catch (error) {
            found = { problem: `invalid JSON (${error instanceof Error ? error.message : String(error)})` };
          }
          if ('problem' in found) {
            assert(options.onBadRecord === 'skip', DataError,
              () => `${file} line ${batch.firstLineNumber + i}: ${found.problem}; pass onBadRecord: 'skip' to skip such lines`);
            countSkip(report, 'bad-record');
            continue;
          }
          const text = found.value as string;
          if (text.trim() === '') { countSkip(report, 'empty-document'); continue; }
          report.documents++;
          yield text;
        }
      }
    }
  });
}
