import { splitWhitespace } from './tokenizers/split-whitespace.js';
import { normalizeAnswer, referenceList } from './exact-match.js';

function f1(predictionTokens: readonly string[], referenceTokens: readonly string[]): number {
  const left = new Map<string, number>();
  for (const t of referenceTokens) left.set(t, (left.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of predictionTokens) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      same++;
      left.set(t, n - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predictionTokens.length;
  const recall = same / referenceTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * SQuAD v1.1 token F1: the F1 of the bag-of-tokens overlap between the normalised prediction and
 * each normalised reference ({@link normalizeAnswer}, then whitespace split), maximised over the
 * references. As in the v1.1 script, no overlap gives 0, also when both sides are empty after
 * normalisation (SQuAD v2.0's script gives 1 there).
 *
 * Rajpurkar et al. (2016). SQuAD: 100,000+ Questions for Machine Comprehension of Text.
 * https://arxiv.org/abs/1606.05250
 *
 * @param prediction - the predicted answer
 * @param references - the gold answer, or several
 * @returns F1 in [0, 1]
 * @throws ConfigError for non-string answers; RangeArgumentError for no reference
 * @example
 * ```ts
 * tokenF1('the tall Eiffel Tower', 'Eiffel Tower'); // 0.8: P = 2/3, R = 1
 * ```
 */
export function tokenF1(prediction: string, references: string | readonly string[]): number {
  const predictionTokens = splitWhitespace(normalizeAnswer(prediction));
  return referenceList(references)
    .reduce((best, ref) => Math.max(best, f1(predictionTokens, splitWhitespace(normalizeAnswer(ref)))), 0);
}
