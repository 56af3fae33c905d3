import type { NormalizedString } from './normalized-string.js';

/**
 * What a splitting pre-tokenizer does with the delimiters it finds, as Hugging Face's
 * `SplitDelimiterBehavior` (the names are those of `tokenizer.json`).
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Split)
 * - `Removed`: dropped; `Isolated`: each its own piece; `MergedWithPrevious` / `MergedWithNext`:
 *   glued to the piece before / after; `Contiguous`: runs of delimiters form one piece.
 * @example
 * ```ts
 * const b: SplitDelimiterBehavior = 'MergedWithPrevious';
 * ```
 */
export type SplitDelimiterBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** Every behaviour, for validating `tokenizer.json` values. */
export const SPLIT_DELIMITER_BEHAVIORS: readonly SplitDelimiterBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

type Span = [start: number, end: number, isDelimiter: boolean];

/** Folds delimiter spans into their neighbours, as Hugging Face's `NormalizedString::split`. */
function merge(spans: Span[], behavior: SplitDelimiterBehavior): Span[] {
  if (behavior === 'Removed') return spans.filter((s) => !s[2]);
  if (behavior === 'Isolated') return spans;
  const ordered = behavior === 'MergedWithNext' ? [...spans].reverse() : spans;
  const out: Span[] = [];
  let previous = false;
  for (const span of ordered) {
    const last = out[out.length - 1];
    const join = behavior === 'Contiguous' ? span[2] === previous : span[2] && !previous;
    if (join && last !== undefined) {
      if (behavior === 'MergedWithNext') last[0] = span[0];
      else last[1] = span[1];
    } else out.push([span[0], span[1], false]);
    previous = span[2];
  }
  return behavior === 'MergedWithNext' ? out.reverse() : out;
}

/**
 * Splits `input` around the delimiters `pattern` (global) matches, treating them as `behavior`
 * says; pieces keep their alignments and empty pieces are dropped. With `invert`, the matches are
 * the pieces and the text between them the delimiters (Hugging Face's `Invert` pattern).
 * @example
 * ```ts
 * splitWithBehavior(NormalizedString.from('a,b,'), /,/gu, 'MergedWithPrevious').map((p) => p.text); // ['a,', 'b,']
 * ```
 */
export function splitWithBehavior(input: NormalizedString, pattern: RegExp, behavior: SplitDelimiterBehavior, invert = false): NormalizedString[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of input.text.matchAll(pattern)) {
    if (m[0].length === 0) continue;
    if (m.index > last) spans.push([last, m.index, invert]);
    spans.push([m.index, m.index + m[0].length, !invert]);
    last = m.index + m[0].length;
  }
  if (last < input.text.length) spans.push([last, input.text.length, invert]);
  return merge(spans, behavior).filter(([s, e]) => e > s).map(([s, e]) => input.slice(s, e));
}
