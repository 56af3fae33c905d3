import type { CleaningStep } from '../../../src/data/clean/cleaning-step.js';

/** Applies one step to one document, returning the text (or the removal) and the notes it counted (test helper). */
export function runStep(step: CleaningStep, text: string): { out: string | { removed: string }; notes: Record<string, number> } {
  const notes: Record<string, number> = {};
  const out = step.apply(text, (note, n = 1) => { notes[note] = (notes[note] ?? 0) + n; });
  return { out, notes };
}
