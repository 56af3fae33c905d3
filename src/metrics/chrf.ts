import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { describeValue, prepareCorpus } from './bleu-inputs.js';
import { formatSignature } from './bleu-signature.js';
import { chrfFromStats, chrfMatchStats, chrfNgrams } from './chrf-stats.js';

/** Options of {@link chrf} and {@link sentenceChrf} (sacrebleu's `CHRF` arguments). */
export interface ChrfOptions {
  /** Highest character n-gram order (default 6). */
  readonly charOrder?: number;
  /** Highest word n-gram order: 0 for chrF (default), 2 for chrF++. */
  readonly wordOrder?: number;
  /** Weight of recall against precision (default 2). */
  readonly beta?: number;
  /** Lowercase before matching (default `false`). */
  readonly lowercase?: boolean;
  /** Keep whitespace inside character n-grams (default `false`: whitespace is removed). */
  readonly whitespace?: boolean;
  /**
   * Per-order F-scores with epsilon smoothing, as chrF++.py, NLTK and Moses (default `false`:
   * sacrebleu 2.x's effective-order averaging).
   */
  readonly epsSmoothing?: boolean;
}

/** A chrF score with its settings and sacrebleu-style signature. */
export interface ChrfResult {
  /** chrF, 0-100. */
  readonly score: number;
  /** sacrebleu's name: `chrF2`, `chrF2++` (one `+` per word order)... */
  readonly name: string;
  /** Settings used. */
  readonly charOrder: number;
  /** Settings used. */
  readonly wordOrder: number;
  /** Settings used. */
  readonly beta: number;
  /** e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1`. */
  readonly signature: string;
}

/** Defaults of sacrebleu's `CHRF()`. */
export const CHRF_DEFAULTS: Readonly<Required<ChrfOptions>> = Object.freeze({
  charOrder: 6, // Popović 2015
  wordOrder: 0, // plain chrF; 2 gives chrF++ (Popović 2017)
  beta: 2, // recall twice as important (Popović 2016, WMT16 metrics task)
  lowercase: false, // case-sensitive
  whitespace: false, // whitespace carries no information for character n-grams
  epsSmoothing: false, // sacrebleu >= 2.0 default
});

/** Validates options and fills in the defaults. */
function resolveChrfOptions(options: ChrfOptions | undefined, fn: string): Readonly<Required<ChrfOptions>> {
  const resolved = { ...CHRF_DEFAULTS, ...options };
  for (const key of ['charOrder', 'wordOrder'] as const) {
    const value = resolved[key];
    assert(Number.isInteger(value) && value >= 0, RangeArgumentError,
      () => `${fn}: ${key} must be an integer >= 0, got ${describeValue(value)}`);
  }
  assert(resolved.charOrder + resolved.wordOrder >= 1, RangeArgumentError, () =>
    `${fn}: charOrder (${resolved.charOrder}) + wordOrder (${resolved.wordOrder}) must be >= 1`);
  assert(typeof resolved.beta === 'number' && Number.isFinite(resolved.beta) && resolved.beta >= 0,
    RangeArgumentError, () => `${fn}: beta must be a finite number >= 0, got ${describeValue(resolved.beta)}`);
  for (const key of ['lowercase', 'whitespace', 'epsSmoothing'] as const) {
    assert(typeof resolved[key] === 'boolean', ConfigError,
      () => `${fn}: ${key} must be a boolean, got ${describeValue(resolved[key])}`);
  }
  return Object.freeze(resolved);
}

/**
 * Corpus chrF / chrF++ exactly as sacrebleu 2.x's `CHRF` (Popović 2015,
 * https://aclanthology.org/W15-3049/; chrF++: Popović 2017, https://aclanthology.org/W17-4770/):
 * character n-grams of orders 1..6 (whitespace removed), optionally word n-grams (chrF++: set
 * `wordOrder: 2`), F-beta with beta 2. For each segment the reference with the best F-score is
 * chosen (the first on ties); the chosen [hyp, ref, match] counts are summed over the corpus and
 * one score is computed from the sums (not an average of sentence scores).
 *
 * `references` holds ONE LIST OF REFERENCES PER HYPOTHESIS (sacrebleu takes reference streams).
 * Empty reference strings are dropped as in sacrebleu; an empty hypothesis scores 0; an empty
 * corpus scores 0.
 *
 * @param hypotheses - system outputs, one per segment
 * @param references - per segment, its references (at least one non-empty)
 * @param options - orders, beta, case, whitespace, smoothing (see {@link ChrfOptions})
 * @returns the score (0-100), name and signature
 * @throws ConfigError for non-string inputs or wrongly typed options
 * @throws ShapeError when the lengths differ or a segment has no non-empty reference
 * @throws RangeArgumentError for bad orders or beta
 * @example
 * ```ts
 * chrf(['Niemand hat die Absicht'], [['Niemand hat die Absicht']]).score; // 100
 * chrf(['a b c'], [['a b d']], { wordOrder: 2 }).name; // 'chrF2++'
 * ```
 */
export function chrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options?: ChrfOptions,
): ChrfResult {
  return scoreChrf(hypotheses, references, resolveChrfOptions(options, 'chrf'), 'chrf');
}

/**
 * chrF / chrF++ of one segment, as sacrebleu's `sentence_chrf` ({@link chrf} on one segment).
 *
 * @param hypothesis - one system output
 * @param references - its references (at least one non-empty)
 * @param options - as for {@link chrf}
 * @returns the score (0-100), name and signature
 * @throws ConfigError, ShapeError, RangeArgumentError as {@link chrf}
 * @example
 * ```ts
 * sentenceChrf('Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
 *   ['Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.'],
 *   { epsSmoothing: true }).score; // 57.157...
 * ```
 */
export function sentenceChrf(
  hypothesis: string,
  references: readonly string[],
  options?: ChrfOptions,
): ChrfResult {
  assert(typeof hypothesis === 'string', ConfigError,
    () => `sentenceChrf: hypothesis must be a string, got ${describeValue(hypothesis)}`);
  return scoreChrf([hypothesis], [references], resolveChrfOptions(options, 'sentenceChrf'), 'sentenceChrf');
}

/** Validates the corpus, picks the best reference per segment, sums the statistics, scores. */
function scoreChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: Readonly<Required<ChrfOptions>>,
  fn: string,
): ChrfResult {
  const corpus = prepareCorpus(hypotheses, references, fn);
  const { charOrder, wordOrder, beta, lowercase, whitespace, epsSmoothing } = options;
  const ngrams = (s: string) => chrfNgrams(lowercase ? s.toLowerCase() : s, charOrder, wordOrder, whitespace);
  const totals = new Array<number>(3 * (charOrder + wordOrder)).fill(0);
  corpus.hypotheses.forEach((hyp, i) => {
    const hypNgrams = ngrams(hyp);
    let best: number[] = [];
    let bestScore = -1;
    for (const ref of corpus.references[i] as readonly string[]) {
      const stats = chrfMatchStats(hypNgrams, ngrams(ref));
      const score = chrfFromStats(stats, beta, epsSmoothing);
      if (score > bestScore) [best, bestScore] = [stats, score];
    }
    best.forEach((value, j) => { totals[j] = (totals[j] as number) + value; });
  });
  const signature = formatSignature(corpus.nrefs, [
    ['case', lowercase ? 'lc' : 'mixed'],
    ['eff', epsSmoothing ? 'no' : 'yes'],
    ['nc', charOrder],
    ['nw', wordOrder],
    ['space', whitespace ? 'yes' : 'no'],
  ]);
  return {
    score: chrfFromStats(totals, beta, epsSmoothing),
    name: `chrF${beta}${'+'.repeat(wordOrder)}`,
    charOrder,
    wordOrder,
    beta,
    signature,
  };
}
