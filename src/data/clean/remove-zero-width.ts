import type { CleaningStep } from './cleaning-step.js';

/**
 * Options of {@link removeZeroWidth}.
 * @example
 * ```ts
 * const options: RemoveZeroWidthOptions = { keepJoiners: true };
 * ```
 */
export interface RemoveZeroWidthOptions {
  /**
   * Keep ZERO WIDTH JOINER and NON-JOINER (U+200D, U+200C), which shape emoji sequences and
   * Persian or Indic text (default false: removed like the others).
   */
  readonly keepJoiners?: boolean;
}

/**
 * Removes invisible characters that split words without showing: ZERO WIDTH SPACE (U+200B), WORD
 * JOINER (U+2060), ZERO WIDTH NO-BREAK SPACE / byte-order mark (U+FEFF), MONGOLIAN VOWEL SEPARATOR
 * (U+180E), SOFT HYPHEN (U+00AD), and unless kept the joiners U+200C and U+200D. Counts the
 * characters removed under the note `characters-removed`.
 * @param options - whether to keep the joiners
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [removeZeroWidth()]); // 'zero\u200Bwidth' -> 'zerowidth'
 * ```
 */
export function removeZeroWidth(options: RemoveZeroWidthOptions = {}): CleaningStep {
  const pattern = options.keepJoiners === true ? /[\u200B\u2060\uFEFF\u180E\u00AD]/g : /[\u200B-\u200D\u2060\uFEFF\u180E\u00AD]/g;
  return {
    name: 'removeZeroWidth',
    apply: (text, tally) => {
      let removed = 0;
      const cleaned = text.replace(pattern, () => { removed++; return ''; });
      if (removed > 0) tally('characters-removed', removed);
      return cleaned;
    },
  };
}
