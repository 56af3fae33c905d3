import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { countNgrams } from './ngrams.js';
import { splitWhitespace } from './tokenizers/split-whitespace.js';

/**
 * Distinct-n, the diversity of a set of generated texts: the number of distinct n-grams over the
 * whole set divided by the total number of n-grams (n-grams do not cross text boundaries). 1 means
 * no n-gram repeats; a model that says the same thing every time scores near 0. Li et al. scale
 * the distinct count by the number of generated tokens instead; for n = 1 the two agree.
 * A set with no n-gram at all (every text shorter than n) scores 0.
 *
 * Li, J., Galley, M., Brockett, C., Gao, J. & Dolan, B. (2016). A Diversity-Promoting Objective
 * Function for Neural Conversation Models. https://arxiv.org/abs/1510.03055
 *
 * @param texts - generated texts: strings (split on whitespace, as Python's `str.split()`) or
 *   token arrays
 * @param n - n-gram order, a positive integer (distinct-1, distinct-2...)
 * @returns distinct n-grams / total n-grams, in [0, 1]
 * @throws ConfigError when `texts` is not an array of strings or token arrays;
 *   RangeArgumentError when `n` is not a positive integer
 * @example
 * ```ts
 * distinctN(['i do not know', 'i do not know', 'i like cats'], 2); // 5 distinct / 8 bigrams = 0.625
 * ```
 */
export function distinctN(texts: readonly (string | readonly string[])[], n: number): number {
  assert(Number.isInteger(n) && n > 0, RangeArgumentError, () => `n (${String(n)}) must be a positive integer`);
  assert(Array.isArray(texts), ConfigError,
    () => `distinctN: texts must be an array of strings or token arrays, got ${typeof texts} (${String(texts)})`);
  const distinct = new Set<string>();
  let total = 0;
  texts.forEach((text, i) => {
    assert(typeof text === 'string' || (Array.isArray(text) && text.every((t) => typeof t === 'string')), ConfigError,
      () => `distinctN: texts[${i}] must be a string or an array of strings, got ${JSON.stringify(text)}`);
    for (const [ngram, count] of countNgrams(typeof text === 'string' ? splitWhitespace(text) : text, n)) {
      distinct.add(ngram);
      total += count;
    }
  });
  return total === 0 ? 0 : distinct.size / total;
}
