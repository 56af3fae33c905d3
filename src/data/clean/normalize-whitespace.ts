import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { CleaningStep } from './cleaning-step.js';

/**
 * Options of {@link normalizeWhitespace}.
 * @example
 * ```ts
 * const options: NormalizeWhitespaceOptions = { maxBlankLines: 0 };
 * ```
 */
export interface NormalizeWhitespaceOptions {
  /** Most consecutive blank lines kept (default 1: paragraph breaks survive, longer gaps shrink). */
  readonly maxBlankLines?: number;
}

/**
 * Normalises whitespace: `\r\n`, `\r`, U+2028 and U+2029 become `\n`; every other run of
 * whitespace inside a line (tabs, no-break and ideographic spaces, all of category Zs) becomes one
 * space; lines are trimmed; runs of blank lines are cut to `maxBlankLines`; the document is trimmed.
 * @param options - how many blank lines to keep
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [normalizeWhitespace()]); // '  a \t b\u3000c\n\n\n\nd ' -> 'a b c\n\nd'
 * ```
 */
export function normalizeWhitespace(options: NormalizeWhitespaceOptions = {}): CleaningStep {
  const maxBlankLines = options.maxBlankLines ?? 1;
  assert(Number.isInteger(maxBlankLines) && maxBlankLines >= 0, RangeArgumentError,
    () => `maxBlankLines (${maxBlankLines}) must be a non-negative integer`);
  const blankRun = new RegExp(`\\n{${maxBlankLines + 2},}`, 'g');
  const keep = '\n'.repeat(maxBlankLines + 1);
  return {
    name: 'normalizeWhitespace',
    apply: (text) => text
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(blankRun, keep)
      .trim(),
  };
}
