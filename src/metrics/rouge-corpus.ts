import { ConfigError, RangeArgumentError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { BootstrapAggregator, type AggregateScore, type BootstrapOptions } from './bootstrap-aggregator.js';
import { rougeScorer, type DefaultRougeType, type RougeOptions, type RougeScore, type RougeType } from './rouge.js';

/** Options of {@link rougeCorpus}: those of `rouge()` and of the bootstrap. */
export interface RougeCorpusOptions<T extends RougeType = RougeType> extends RougeOptions<T>, BootstrapOptions {}

/**
 * ROUGE over a corpus of (target, prediction) pairs, with bootstrap confidence intervals: each
 * pair is scored with `rouge()`, and the per-pair scores are aggregated by a
 * {@link BootstrapAggregator}, as rouge-score's `BootstrapAggregator` over `RougeScorer.score`
 * does. `mid` is the figure usually reported (the median of the bootstrap means).
 *
 * Lin, C.-Y. (2004). ROUGE: A Package for Automatic Evaluation of Summaries.
 * https://aclanthology.org/W04-1013/
 *
 * @param targets - reference texts
 * @param predictions - generated texts, one per target
 * @param options - ROUGE types, `useStemmer`, `tokenizer`, `confidenceInterval` (0.95),
 *   `nSamples` (1000), `seed` (0)
 * @returns per type, the low / mid / high {@link RougeScore}
 * @throws ConfigError when an argument is not an array of strings or an option is invalid
 * @throws ShapeError when the two arrays differ in length
 * @throws RangeArgumentError when there are no pairs
 * @example
 * ```ts
 * const r = rougeCorpus(['the cat sat', 'a dog ran'], ['the cat sat down', 'a dog'], { types: ['rougeL'], seed: 7 });
 * r.rougeL.mid.fmeasure; // 0.83...
 * ```
 */
export function rougeCorpus<T extends RougeType = DefaultRougeType>(
  targets: readonly string[],
  predictions: readonly string[],
  options: RougeCorpusOptions<T> = {},
): Record<T, AggregateScore<RougeScore>> {
  assert(Array.isArray(targets) && Array.isArray(predictions), ConfigError,
    () => `rougeCorpus: targets and predictions must be arrays, got ${typeof targets} and ${typeof predictions}`);
  assert(targets.length === predictions.length, ShapeError,
    () => `rougeCorpus: targets (${targets.length}) and predictions (${predictions.length}) must have the same length`);
  assert(targets.length > 0, RangeArgumentError, () => 'rougeCorpus needs at least one (target, prediction) pair, got 0');
  const score = rougeScorer(options);
  const aggregator = new BootstrapAggregator(options);
  targets.forEach((target, i) => aggregator.addScores(score(target, predictions[i] as string)));
  return aggregator.aggregate() as Record<T, AggregateScore<RougeScore>>;
}
