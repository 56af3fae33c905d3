/**
 * Why a source left something out. Every skip is counted under one of these reasons in
 * {@link SourceReport.skipped}; nothing is dropped without a count.
 * - `empty-file`: a file with no bytes (or only a byte-order mark).
 * - `binary-file`: a file with a NUL byte in its first KiB, or UTF-16 (with `onBinary: 'skip'`).
 * - `invalid-encoding`: a document holding invalid UTF-8 (with `onInvalid: 'skip'`).
 * - `empty-document`: a document (line, paragraph, file, field) holding only whitespace.
 * - `bad-record`: a JSONL or CSV record that is malformed or lacks the field (with `onBadRecord: 'skip'`).
 * @example
 * ```ts
 * const reason: SkipReason = 'binary-file';
 * ```
 */
export type SkipReason = 'empty-file' | 'binary-file' | 'invalid-encoding' | 'empty-document' | 'bad-record';

/**
 * What a source read and what it skipped.
 * @example
 * ```ts
 * const kept: string[] = [];
 * const docs = readTextFiles('corpus/**\/*.txt', { split: 'line', onBinary: 'skip' });
 * for await (const doc of docs) kept.push(doc);
 * docs.report; // { documents: 1200, files: 12, skipped: { 'empty-document': 40, 'binary-file': 1 }, skippedFiles: ['corpus/logo.png (binary-file)'] }
 * ```
 */
export interface SourceReport {
  /** Documents yielded. */
  documents: number;
  /** Files (or streams) opened. */
  files: number;
  /** Count of skipped items per reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** The first 100 files skipped whole, each as `path (reason)`. */
  skippedFiles: string[];
}

/**
 * An empty {@link SourceReport}.
 * @example
 * ```ts
 * const report = createSourceReport(); // { documents: 0, files: 0, skipped: {}, skippedFiles: [] }
 * ```
 */
export function createSourceReport(): SourceReport {
  return { documents: 0, files: 0, skipped: {}, skippedFiles: [] };
}

/** Most files listed by name in {@link SourceReport.skippedFiles}; the counts include them all. */
const MAX_LISTED_FILES = 100;

/**
 * Counts one skip under `reason`, and lists the file when a whole file was skipped.
 * @param report - the report to update
 * @param reason - why the item was skipped
 * @param path - the file skipped whole, if it was a whole file
 * @example
 * ```ts
 * const report = createSourceReport();
 * countSkip(report, 'binary-file', 'corpus/logo.png');
 * ```
 */
export function countSkip(report: SourceReport, reason: SkipReason, path?: string): void {
  report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
  if (path !== undefined && report.skippedFiles.length < MAX_LISTED_FILES) report.skippedFiles.push(`${path} (${reason})`);
}
