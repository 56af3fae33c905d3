/**
 * A document dropped by a cleaning step, with the reason counted in the report.
 * @example
 * ```ts
 * const removal: Removal = { removed: 'too-few-words' };
 * ```
 */
export interface Removal {
  /** Why the document was dropped (a short kebab-case key, e.g. `duplicate-line-fraction`). */
  readonly removed: string;
}

/**
 * What a step returns for one document: the (possibly changed) text, or a {@link Removal}.
 * @example
 * ```ts
 * declare const text: string;
 * const outcome: StepOutcome = text.length < 10 ? { removed: 'too-short' } : text;
 * ```
 */
export type StepOutcome = string | Removal;

/**
 * Counts an event other than a change or removal (lines dropped, emails masked...) under `note`
 * in the step's report.
 * @example
 * ```ts
 * const notes: Record<string, number> = {};
 * const tally: Tally = (note, count = 1) => { notes[note] = (notes[note] ?? 0) + count; };
 * ```
 */
export type Tally = (note: string, count?: number) => void;

/**
 * One composable cleaning step: a name for the report and a pure function from a document to a
 * cleaned document or a removal. Steps must not keep state between documents, so a pipeline can
 * be re-run or split across workers. Write your own as a plain object.
 * @example
 * ```ts
 * const dropShouting: CleaningStep = {
 *   name: 'dropShouting',
 *   apply: (text) => (text === text.toUpperCase() ? { removed: 'all-caps' } : text),
 * };
 * ```
 */
export interface CleaningStep {
  /** Names the step in the {@link CleaningReport}. */
  readonly name: string;
  /**
   * Cleans one document.
   * @param text - the document
   * @param tally - counts other events under a note in the report
   */
  apply(text: string, tally: Tally): StepOutcome;
}
