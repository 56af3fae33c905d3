/**
 * Separator between the tokens of an n-gram key: U+001F (unit separator). Python's `str.split()`
 * treats it as whitespace, so no token produced by a whitespace split can contain it, and keys of
 * such tokens never collide.
 */
export const NGRAM_SEPARATOR = '\u001f';

/**
 * Counts the n-grams of one order in a token sequence, as `collections.Counter` does in sacrebleu
 * and NLTK. Each key is the n-gram's tokens joined by {@link NGRAM_SEPARATOR}; a sequence shorter
 * than `n` has no n-grams.
 *
 * @param tokens - the token sequence (tokens should not contain U+001F)
 * @param n - the n-gram order, a positive integer
 * @returns a map from n-gram key to its number of occurrences
 * @example
 * ```ts
 * countNgrams(['the', 'cat', 'the', 'cat'], 2);
 * // Map { 'the\u001fcat' => 2, 'cat\u001fthe' => 1 }
 * ```
 */
export function countNgrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join(NGRAM_SEPARATOR);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
