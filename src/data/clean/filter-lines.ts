import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import type { CleaningStep } from './cleaning-step.js';
import { countWords } from './words.js';

/**
 * Options of {@link filterLines}. The defaults are the C4 rules (Raffel et al. 2020,
 * https://jmlr.org/papers/v21/20-074.html, as reproduced by datatrove's C4QualityFilter), with
 * CJK full-width punctuation added to the terminal marks; set any rule to its neutral value to turn
 * it off (`[]`, `false`, `0`).
 * @example
 * ```ts
 * const options: FilterLinesOptions = { requireTerminalPunctuation: false, dropDocumentsContaining: [] };
 * ```
 */
export interface FilterLinesOptions {
  /** Drop lines containing any of these, case-insensitively (default: `javascript` and C4's cookie and policy phrases). */
  readonly dropLinesContaining?: readonly string[];
  /** Drop lines matching any of these patterns (default none). */
  readonly dropLinesMatching?: readonly RegExp[];
  /** Keep only lines ending in one of `terminalPunctuation` and not in `...` (default true). */
  readonly requireTerminalPunctuation?: boolean;
  /** The marks that end a sentence (default `.?!"'` plus `。！？」』”’`). */
  readonly terminalPunctuation?: string;
  /** Drop lines with fewer words than this, counted CJK-aware (default 3). */
  readonly minWordsPerLine?: number;
  /** Remove citation marks `[1]`, `[edit]`, `[citation needed]` from lines (default true). */
  readonly removeCitations?: boolean;
  /** Remove the whole document when it contains any of these, case-insensitively (default `lorem ipsum` and `{`). */
  readonly dropDocumentsContaining?: readonly string[];
  /**
   * Remove the document when the kept lines hold fewer sentences than this (default 5). A sentence
   * ends at a run of terminal marks followed by whitespace, the end, or a CJK character.
   */
  readonly minSentences?: number;
}

/**
 * C4's boilerplate line markers: `javascript` and the policy phrases.
 * @example
 * ```ts
 * filterLines({ dropLinesContaining: [...C4_BOILERPLATE_PHRASES, 'subscribe'] });
 * ```
 */
export const C4_BOILERPLATE_PHRASES: readonly string[] = [
  'javascript', 'terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies',
];

const CITATION = /\[\d*\]|\[edit\]|\[citation needed\]/gi;

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/**
 * Drops boilerplate lines and low-quality documents, per the C4 rules by default: lines with the
 * listed phrases or patterns, without terminal punctuation, ending in an ellipsis or with too few
 * words go; documents containing `lorem ipsum` or `{`, or left with too few sentences, are removed.
 * Blank lines are kept (they separate paragraphs). Notes count the lines dropped per rule
 * (`lines-boilerplate`, `lines-no-terminal-punctuation`, `lines-too-few-words`) and
 * `citations-removed`; removal reasons are `contains-<phrase>` and `too-few-sentences`.
 * @param options - the rules; omitted ones take the C4 defaults
 * @example
 * ```ts
 * declare const webPages: string[], poems: string[];
 * cleanDocuments(webPages, [filterLines()]);
 * cleanDocuments(poems, [filterLines({ requireTerminalPunctuation: false, minWordsPerLine: 0, minSentences: 1 })]);
 * ```
 */
export function filterLines(options: FilterLinesOptions = {}): CleaningStep {
  const {
    dropLinesContaining = C4_BOILERPLATE_PHRASES, dropLinesMatching = [], requireTerminalPunctuation = true,
    terminalPunctuation = '.?!"\'。！？」』”’', minWordsPerLine = 3, removeCitations = true,
    dropDocumentsContaining = ['lorem ipsum', '{'], minSentences = 5,
  } = options;
  assert(Number.isInteger(minWordsPerLine) && minWordsPerLine >= 0, RangeArgumentError, () => `minWordsPerLine (${minWordsPerLine}) must be a non-negative integer`);
  assert(Number.isInteger(minSentences) && minSentences >= 0, RangeArgumentError, () => `minSentences (${minSentences}) must be a non-negative integer`);
  assert(!requireTerminalPunctuation || terminalPunctuation.length > 0, ConfigError, () => 'terminalPunctuation must not be empty');
  const lineMarkers = dropLinesContaining.map((p) => p.toLowerCase());
  const documentMarkers = dropDocumentsContaining.map((p) => p.toLowerCase());
  const marks = escapeClass(terminalPunctuation);
  const sentenceEnd = new RegExp(`[${marks}]+(?=\\s|$|[\\u3000-\\uffff])`, 'gu'); // CJK text has no space after a sentence
  const endsSentence = new RegExp(`[${marks}]$`, 'u');
  return {
    name: 'filterLines',
    apply: (text, tally) => {
      const lower = text.toLowerCase();
      const marker = documentMarkers.find((m) => lower.includes(m));
      if (marker !== undefined) return { removed: `contains-${marker}` };
      const kept: string[] = [];
      for (const original of text.split('\n')) {
        let line = original;
        if (removeCitations) line = line.replace(CITATION, () => { tally('citations-removed'); return ''; });
        const trimmed = line.trim();
        if (trimmed === '') { kept.push(line); continue; }
        const lowerLine = trimmed.toLowerCase();
        if (lineMarkers.some((m) => lowerLine.includes(m)) || dropLinesMatching.some((r) => { r.lastIndex = 0; return r.test(trimmed); })) {
          tally('lines-boilerplate');
        } else if (requireTerminalPunctuation && (!endsSentence.test(trimmed) || trimmed.endsWith('...'))) {
          tally('lines-no-terminal-punctuation');
        } else if (countWords(trimmed) < minWordsPerLine) {
          tally('lines-too-few-words');
        } else kept.push(line);
      }
      const result = kept.join('\n').trim();
      const sentences = result.match(sentenceEnd)?.length ?? 0;
      if (minSentences > 0 && sentences < minSentences) return { removed: 'too-few-sentences' };
      return result === text.trim() ? text : result;
    },
  };
}
