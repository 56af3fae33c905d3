import { ConfigError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { countNgrams } from './ngrams.js';
import { lcsLength, unionLcs } from './rouge-lcs.js';
import { rougeTokenizer, type RougeTokenizeOptions } from './rouge-tokenize.js';

/** Precision, recall and F1 of one ROUGE type for one (target, prediction) pair. */
export interface RougeScore {
  /** Matches over the prediction's n-grams (or tokens, for ROUGE-L). */
  readonly precision: number;
  /** Matches over the target's n-grams (or tokens). */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly fmeasure: number;
}

/**
 * A ROUGE variant, as rouge-score names them: `rouge1`..`rouge9` (n-gram overlap), `rougeL`
 * (longest common subsequence over the whole text), `rougeLsum` (summary-level LCS over
 * newline-separated sentences, the union LCS of Lin 2004 section 3.2).
 */
export type RougeType =
  | 'rouge1' | 'rouge2' | 'rouge3' | 'rouge4' | 'rouge5' | 'rouge6' | 'rouge7' | 'rouge8' | 'rouge9'
  | 'rougeL' | 'rougeLsum';

/** The types {@link rouge} computes when none are asked for (those Hugging Face `evaluate` reports). */
export type DefaultRougeType = 'rouge1' | 'rouge2' | 'rougeL' | 'rougeLsum';

/** The types {@link rouge} computes when none are asked for. */
export const DEFAULT_ROUGE_TYPES: readonly DefaultRougeType[] = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'];

/** Options of {@link rouge}: the types to compute, and how to tokenize. */
export interface RougeOptions<T extends RougeType = RougeType> extends RougeTokenizeOptions {
  /** ROUGE types to compute; default {@link DEFAULT_ROUGE_TYPES}. */
  readonly types?: readonly T[];
}

const ROUGE_TYPE = /^rouge([1-9]|L|Lsum)$/;
const ZERO: RougeScore = Object.freeze({ precision: 0, recall: 0, fmeasure: 0 });

function score(precision: number, recall: number): RougeScore {
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

/** Clipped n-gram overlap; an empty side gives zeros, as rouge-score's `max(count, 1)` does. */
function ngramScore(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const targetCounts = countNgrams(target, n);
  const predictionCounts = countNgrams(prediction, n);
  let overlap = 0;
  for (const [ngram, count] of targetCounts) overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
  const targetTotal = Math.max(target.length - n + 1, 1);
  const predictionTotal = Math.max(prediction.length - n + 1, 1);
  return score(overlap / predictionTotal, overlap / targetTotal);
}

function lcsScore(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return ZERO;
  const lcs = lcsLength(target, prediction);
  return score(lcs / prediction.length, lcs / target.length);
}

function countTokens(sentences: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const t of sentence) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * Summary-level LCS (Lin 2004, section 3.2) as ROUGE-1.5.5 and rouge-score compute it: each
 * reference sentence's union LCS with all candidate sentences, where a token counts as a hit only
 * while both sides still have unused occurrences of it (no double counting).
 */
function summaryLevelLcsScore(targetSentences: string[][], predictionSentences: string[][]): RougeScore {
  const targetTotal = targetSentences.reduce((sum, s) => sum + s.length, 0);
  const predictionTotal = predictionSentences.reduce((sum, s) => sum + s.length, 0);
  if (targetTotal === 0 || predictionTotal === 0) return ZERO;
  const targetLeft = countTokens(targetSentences);
  const predictionLeft = countTokens(predictionSentences);
  let hits = 0;
  for (const sentence of targetSentences) {
    for (const token of unionLcs(sentence, predictionSentences)) {
      const t = targetLeft.get(token) ?? 0;
      const p = predictionLeft.get(token) ?? 0;
      if (t > 0 && p > 0) {
        hits++;
        targetLeft.set(token, t - 1);
        predictionLeft.set(token, p - 1);
      }
    }
  }
  return score(hits / predictionTotal, hits / targetTotal);
}

/** Non-empty lines, as rouge-score splits a summary into sentences for ROUGE-Lsum. */
function sentences(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

/**
 * Validates the options once and returns a scorer for many pairs (what {@link rouge} and
 * `rougeCorpus` use); the scorer of rouge-score's `RougeScorer(types, use_stemmer,
 * tokenizer=...)`.
 *
 * @param options - ROUGE types, stemming and tokenizer
 * @returns `(target, prediction) => scores`, one {@link RougeScore} per requested type
 * @throws ConfigError for an empty or non-array `types`, an unknown type (naming it), or invalid
 *   tokenizer options
 * @example
 * ```ts
 * const score = rougeScorer({ types: ['rouge1', 'rougeL'], useStemmer: true });
 * score('The cat sat.', 'The cats sat down.').rouge1.recall; // 1
 * ```
 */
export function rougeScorer<T extends RougeType = DefaultRougeType>(
  options: RougeOptions<T> = {},
): (target: string, prediction: string) => Record<T, RougeScore> {
  const types = (options.types ?? DEFAULT_ROUGE_TYPES) as readonly T[];
  assert(Array.isArray(types as unknown) && types.length > 0, ConfigError,
    () => `types must be a non-empty array of ROUGE types, got ${JSON.stringify(types)}`);
  for (const type of types) {
    assert(typeof type === 'string' && ROUGE_TYPE.test(type), ConfigError,
      () => `unknown ROUGE type ${JSON.stringify(type)}: expected rouge1..rouge9, rougeL or rougeLsum`);
  }
  const tokenize = rougeTokenizer(options);
  return (target, prediction) => {
    for (const [name, text] of [['target', target], ['prediction', prediction]] as const) {
      assert(typeof text === 'string', ConfigError,
        () => `rouge: ${name} must be a string, got ${typeof text} (${String(text)})`);
    }
    const targetTokens = tokenize(target);
    const predictionTokens = tokenize(prediction);
    const result = {} as Record<T, RougeScore>;
    for (const type of types) {
      if (type === 'rougeL') {
        result[type] = lcsScore(targetTokens, predictionTokens);
      } else if (type === 'rougeLsum') {
        result[type] = summaryLevelLcsScore(sentences(target).map(tokenize), sentences(prediction).map(tokenize));
      } else {
        result[type] = ngramScore(targetTokens, predictionTokens, Number(type.slice(5)));
      }
    }
    return result;
  };
}

/**
 * ROUGE between one target (reference) and one prediction, as Google's rouge-score computes it
 * (`RougeScorer(types, use_stemmer).score(target, prediction)`), which replicates ROUGE-1.5.5:
 * n-gram overlap with clipped counts for `rougeN`, LCS for `rougeL`, union LCS over
 * newline-separated sentences for `rougeLsum`. Texts with no tokens score 0 everywhere. With the
 * default tokenizer only `[a-z0-9]` survive, so non-English text scores 0, as in rouge-score;
 * pass `tokenizer: 'unicode'` for Chinese and other scripts.
 *
 * Lin, C.-Y. (2004). ROUGE: A Package for Automatic Evaluation of Summaries.
 * https://aclanthology.org/W04-1013/
 *
 * @param target - the reference text
 * @param prediction - the generated text
 * @param options - types (default rouge1, rouge2, rougeL, rougeLsum), `useStemmer`, `tokenizer`
 * @returns one {@link RougeScore} per requested type
 * @throws ConfigError for non-string texts, unknown types or invalid tokenizer options
 * @example
 * ```ts
 * const s = rouge('testing one two', 'testing one', { types: ['rouge2', 'rougeL'] });
 * s.rouge2; // { precision: 1, recall: 0.5, fmeasure: 0.666... }
 * rouge('床前明月光', '床前看月光', { types: ['rouge1'], tokenizer: 'unicode' }).rouge1.fmeasure; // 0.8
 * ```
 */
export function rouge<T extends RougeType = DefaultRougeType>(
  target: string,
  prediction: string,
  options: RougeOptions<T> = {},
): Record<T, RougeScore> {
  return rougeScorer(options)(target, prediction);
}
