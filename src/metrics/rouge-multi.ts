import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { rougeScorer, type DefaultRougeType, type RougeOptions, type RougeScore, type RougeType } from './rouge.js';

/**
 * ROUGE of one prediction against several acceptable targets, as rouge-score's
 * `RougeScorer.score_multi`: per type, the score (precision, recall and F together) of the target
 * with the highest F-measure; on ties the first such target wins, as `numpy.argmax` picks.
 *
 * @param targets - the reference texts (at least one)
 * @param prediction - the generated text
 * @param options - types, `useStemmer`, `tokenizer`, as for {@link rouge}
 * @returns one {@link RougeScore} per requested type
 * @throws ConfigError for an empty or non-array `targets`, non-string texts, unknown types
 * @example
 * ```ts
 * const best = rougeMulti(['the cat sat', 'a dog ran'], 'a dog sat', { types: ['rouge1'] });
 * best.rouge1.fmeasure; // 0.666... (against "a dog ran")
 * ```
 */
export function rougeMulti<T extends RougeType = DefaultRougeType>(
  targets: readonly string[],
  prediction: string,
  options: RougeOptions<T> = {},
): Record<T, RougeScore> {
  assert(Array.isArray(targets) && targets.length > 0, ConfigError,
    () => `rougeMulti needs a non-empty array of targets, got ${Array.isArray(targets) ? '[]' : typeof targets}`);
  const score = rougeScorer(options);
  const perTarget = targets.map((target) => score(target, prediction));
  const best = {} as Record<T, RougeScore>;
  for (const type of Object.keys(perTarget[0] as object) as T[]) {
    let winner = (perTarget[0] as Record<T, RougeScore>)[type];
    for (const scores of perTarget) if (scores[type].fmeasure > winner.fmeasure) winner = scores[type];
    best[type] = winner;
  }
  return best;
}
