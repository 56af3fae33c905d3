import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { createDocumentStream, type DocumentInput, type DocumentStream } from '../sources/document-stream.js';
import type { CleaningStep } from './cleaning-step.js';

/**
 * What one step did over a stream.
 * @example
 * ```ts
 * declare const report: CleaningReport;
 * report.steps[0]; // { name: 'stripHtml', seen: 100, changed: 37, removed: 0, reasons: {}, notes: {} }
 * ```
 */
export interface StepReport {
  /** The step's name. */
  readonly name: string;
  /** Documents that reached the step (those removed by an earlier step never do). */
  seen: number;
  /** Documents the step changed. */
  changed: number;
  /** Documents the step removed. */
  removed: number;
  /** Removed documents per reason; the counts add up to `removed`. */
  reasons: Record<string, number>;
  /** Other counts the step kept (lines dropped, emails masked...). */
  notes: Record<string, number>;
}

/**
 * What a cleaning pipeline did: documents in and out, and a {@link StepReport} per step in order.
 * @example
 * ```ts
 * declare const docs: string[];
 * const kept: string[] = [];
 * const cleaned = cleanDocuments(docs, [normalizeWhitespace(), filterLength({ minWords: 50 })]);
 * for await (const doc of cleaned) kept.push(doc);
 * cleaned.report; // { input: 1000, output: 912, steps: [...] }
 * ```
 */
export interface CleaningReport {
  /** Documents read from the input. */
  input: number;
  /** Documents that passed every step. */
  output: number;
  /** One report per step, in pipeline order. */
  steps: StepReport[];
}

function createCleaningReport(steps: readonly CleaningStep[]): CleaningReport {
  return { input: 0, output: 0, steps: steps.map((s) => ({ name: s.name, seen: 0, changed: 0, removed: 0, reasons: {}, notes: {} })) };
}

function checkSteps(steps: readonly CleaningStep[]): void {
  assert(Array.isArray(steps), ConfigError, () => `steps must be an array of cleaning steps, got ${describeJSON(steps)}`);
  steps.forEach((step, i) => assert(
    typeof step === 'object' && step !== null && typeof step.name === 'string' && typeof step.apply === 'function', ConfigError,
    () => `steps[${i}] must be a cleaning step ({ name, apply }), got ${describeJSON(step)}`));
}

/**
 * Runs one document through the steps, updating `report`; returns the cleaned text, or undefined
 * when a step removed it.
 * @param text - the document
 * @param steps - the steps, in order
 * @param report - the report to update (from an earlier call, or a fresh one)
 * @example
 * ```ts
 * const report = { input: 0, output: 0, steps: [] as StepReport[] };
 * cleanDocument(' a  b ', [normalizeWhitespace()], report); // 'a b'
 * ```
 */
export function cleanDocument(text: string, steps: readonly CleaningStep[], report: CleaningReport): string | undefined {
  if (report.steps.length !== steps.length) report.steps = createCleaningReport(steps).steps;
  report.input++;
  let current = text;
  for (let i = 0; i < steps.length; i++) {
    const stats = report.steps[i]!;
    stats.seen++;
    const outcome = steps[i]!.apply(current, (note, count = 1) => { stats.notes[note] = (stats.notes[note] ?? 0) + count; });
    if (typeof outcome !== 'string') {
      stats.removed++;
      stats.reasons[outcome.removed] = (stats.reasons[outcome.removed] ?? 0) + 1;
      return undefined;
    }
    if (outcome !== current && outcome.trim() === '') { // a step never hands on an empty document
      stats.removed++;
      stats.reasons['empty-after-cleaning'] = (stats.reasons['empty-after-cleaning'] ?? 0) + 1;
      return undefined;
    }
    if (outcome !== current) stats.changed++;
    current = outcome;
  }
  report.output++;
  return current;
}

/**
 * Applies cleaning steps to a document stream, one document at a time, and reports per step how
 * many documents it saw, changed and removed, and why. A document that a step leaves empty (or
 * whitespace-only) is removed there with reason `empty-after-cleaning`. Streams: memory holds one
 * document.
 * @param documents - the input documents (a source, an array, another stage's output)
 * @param steps - the steps, applied in order; a document removed by one step goes no further
 * @example
 * ```ts
 * const kept: string[] = [];
 * const cleaned = cleanDocuments(readJsonl('crawl.jsonl', { field: 'text' }), [
 *   stripHtml(), normalizeUnicode(), removeControlCharacters(), normalizeWhitespace(),
 *   filterLines(), filterRepetition(), filterLength({ minWords: 50 }), maskPii(),
 * ]);
 * for await (const doc of cleaned) kept.push(doc);
 * cleaned.report.steps.map((s) => `${s.name}: -${s.removed}`);
 * ```
 */
export function cleanDocuments(documents: DocumentInput, steps: readonly CleaningStep[]): DocumentStream<CleaningReport> {
  checkSteps(steps);
  return createDocumentStream(() => createCleaningReport(steps), async function* (report) {
    for await (const doc of documents) {
      const cleaned = cleanDocument(doc, steps, report);
      if (cleaned !== undefined) yield cleaned;
    }
  });
}
