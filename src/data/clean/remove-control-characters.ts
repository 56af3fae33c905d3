import type { CleaningStep } from './cleaning-step.js';

/** Control characters (Unicode category Cc, C0 and C1) other than line feed and tab. */
const CONTROL = /(?![\n\t])\p{Cc}/gu;

/**
 * Removes control characters (category Cc: NUL, BEL, ESC, DEL, the C1 range...) but keeps `\n`
 * and `\t`; `\r\n` and lone `\r` become `\n` first. Counts the characters removed under the note
 * `characters-removed`.
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [removeControlCharacters()]); // 'a\u0000b\r\nc' -> 'ab\nc'
 * ```
 */
export function removeControlCharacters(): CleaningStep {
  return {
    name: 'removeControlCharacters',
    apply: (text, tally) => {
      const unixNewlines = text.replace(/\r\n?/g, '\n');
      let removed = 0;
      const cleaned = unixNewlines.replace(CONTROL, () => { removed++; return ''; });
      if (removed > 0) tally('characters-removed', removed);
      return cleaned;
    },
  };
}
