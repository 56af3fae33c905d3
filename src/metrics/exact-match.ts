import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { splitWhitespace } from './tokenizers/split-whitespace.js';

/** Python's `string.punctuation`: the 32 ASCII punctuation characters. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
/** `\b(a|an|the)\b` with Python's Unicode word characters (letters, digits, underscore). */
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * The answer normalisation of the SQuAD v1.1 evaluation script (`normalize_answer`): lowercase,
 * remove ASCII punctuation, replace the articles a / an / the by spaces, collapse whitespace.
 *
 * Rajpurkar et al. (2016). SQuAD: 100,000+ Questions for Machine Comprehension of Text.
 * https://arxiv.org/abs/1606.05250
 *
 * @param text - an answer
 * @returns the normalised answer
 * @throws ConfigError when `text` is not a string
 * @example
 * ```ts
 * normalizeAnswer('The  Eiffel-Tower!'); // 'eiffeltower'
 * ```
 */
export function normalizeAnswer(text: string): string {
  assert(typeof text === 'string', ConfigError,
    () => `answers must be strings, got ${typeof text} (${String(text)})`);
  return splitWhitespace(text.toLowerCase().replace(PUNCTUATION, '').replace(ARTICLES, ' ')).join(' ');
}

/**
 * Checks that `references` is a non-empty list of strings (a single string counts as one) and
 * returns it as a list; shared by the SQuAD-style metrics.
 *
 * @param references - one reference or several
 * @returns the references as an array
 * @throws ConfigError when a reference is not a string; RangeArgumentError when there is none
 * @example
 * ```ts
 * referenceList('Paris'); // ['Paris']
 * ```
 */
export function referenceList(references: string | readonly string[]): readonly string[] {
  const list = typeof references === 'string' ? [references] : references;
  assert(Array.isArray(list), ConfigError,
    () => `references must be a string or an array of strings, got ${typeof references} (${String(references)})`);
  assert(list.length > 0, RangeArgumentError, () => 'references must hold at least one answer, got []');
  return list;
}

/**
 * SQuAD v1.1 exact match: 1 when the prediction equals one of the references after
 * {@link normalizeAnswer}, else 0 (the maximum over references). Average it over a dataset and
 * multiply by 100 for the figure the SQuAD script reports.
 *
 * Rajpurkar et al. (2016). SQuAD: 100,000+ Questions for Machine Comprehension of Text.
 * https://arxiv.org/abs/1606.05250
 *
 * @param prediction - the predicted answer
 * @param references - the gold answer, or several
 * @returns 1 or 0
 * @throws ConfigError for non-string answers; RangeArgumentError for no reference
 * @example
 * ```ts
 * exactMatch('the Eiffel Tower.', ['Eiffel Tower', 'la tour Eiffel']); // 1
 * ```
 */
export function exactMatch(prediction: string, references: string | readonly string[]): number {
  const normalized = normalizeAnswer(prediction);
  return referenceList(references).some((ref) => normalizeAnswer(ref) === normalized) ? 1 : 0;
}
