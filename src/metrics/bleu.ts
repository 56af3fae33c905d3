import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { describeValue, prepareCorpus } from './bleu-inputs.js';
import {
  BLEU_DEFAULTS, BLEU_SMOOTH_DEFAULTS, SENTENCE_BLEU_DEFAULTS, resolveBleuOptions,
  type BleuOptions, type ResolvedBleuOptions,
} from './bleu-options.js';
import { bleuFromStats, type BleuScore } from './bleu-score.js';
import { formatSignature } from './bleu-signature.js';
import { bleuSegmentStats, referenceNgramMaxima, sumBleuStats } from './bleu-stats.js';
import { BLEU_TOKENIZERS } from './tokenizers/bleu-tokenizers.js';
import { rstripWhitespace } from './tokenizers/split-whitespace.js';

/** A BLEU score with its parts and sacrebleu-style signature. */
export interface BleuResult extends BleuScore {
  /**
   * Reproducibility signature as sacrebleu 2.x prints it, e.g.
   * `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1`; `version` is the sacrebleu
   * release whose semantics we follow ({@link SACREBLEU_VERSION}), not wordforge's.
   */
  readonly signature: string;
}

/**
 * Lowercases (optionally), right-strips and tokenises a segment, as sacrebleu's BLEU does
 * before counting n-grams.
 *
 * @param options - resolved options (`tokenize`, `lowercase`)
 * @returns a function from segment to tokens
 * @example
 * ```ts
 * bleuPreprocessor({ ...BLEU_DEFAULTS, lowercase: true })('Hi!'); // ['hi', '!']
 * ```
 */
export function bleuPreprocessor(
  options: Pick<ResolvedBleuOptions, 'tokenize' | 'lowercase'>,
): (segment: string) => string[] {
  const tokenizer = BLEU_TOKENIZERS[options.tokenize];
  return (segment) => tokenizer(rstripWhitespace(options.lowercase ? segment.toLowerCase() : segment));
}

/**
 * The sacrebleu signature of a BLEU computation.
 *
 * @param nrefs - references per segment, or `'var'`
 * @param options - resolved options
 * @returns e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1`
 * @example
 * ```ts
 * bleuSignature(2, { ...BLEU_DEFAULTS, smooth: 'floor', smoothValue: 0.1 });
 * // 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:floor[0.10]|version:2.5.1'
 * ```
 */
export function bleuSignature(nrefs: number | 'var', options: ResolvedBleuOptions): string {
  const smooth = BLEU_SMOOTH_DEFAULTS[options.smooth] === undefined
    ? options.smooth
    : `${options.smooth}[${options.smoothValue.toFixed(2)}]`;
  return formatSignature(nrefs, [
    ['case', options.lowercase ? 'lc' : 'mixed'],
    ['eff', options.effectiveOrder ? 'yes' : 'no'],
    ['tok', options.tokenize],
    ['smooth', smooth],
  ]);
}

/**
 * Corpus BLEU exactly as sacrebleu 2.x computes it (Papineni et al. 2002,
 * https://aclanthology.org/P02-1040/; Post 2018, https://aclanthology.org/W18-6319/): n-gram
 * matches clipped by the maximum count over each segment's references, statistics summed over
 * the corpus, brevity penalty against the closest reference length (shorter on ties), default
 * `13a` tokenisation and `exp` smoothing.
 *
 * Unlike sacrebleu's `corpus_score(hyps, ref_streams)`, `references` holds ONE LIST OF
 * REFERENCES PER HYPOTHESIS (`references[i]` are the references of `hypotheses[i]`), and
 * segments may have different numbers of references. As in sacrebleu, empty reference strings
 * are dropped; empty hypotheses are kept (and score 0); an empty corpus scores 0.
 *
 * @param hypotheses - system outputs, one per segment
 * @param references - per segment, its references (at least one non-empty)
 * @param options - tokenizer, smoothing, order, case (see {@link BleuOptions})
 * @returns the score (0-100), precisions, brevity penalty, lengths, counts and signature
 * @throws ConfigError for non-string inputs or bad options
 * @throws ShapeError when the lengths differ or a segment has no non-empty reference
 * @throws RangeArgumentError for a bad `maxOrder` or `smoothValue`
 * @example
 * ```ts
 * const result = bleu(
 *   ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'],
 *   [['The dog bit the man.', 'The dog had bit the man.'],
 *    ['It was not unexpected.', 'No one was surprised.'],
 *    ['The man bit him first.', 'The man had bitten the dog.']],
 * );
 * result.score; // 48.53...
 * ```
 */
export function bleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options?: BleuOptions,
): BleuResult {
  return scoreBleu(hypotheses, references, resolveBleuOptions(options, BLEU_DEFAULTS, 'bleu'), 'bleu');
}

/**
 * Sentence BLEU as sacrebleu's `sentence_bleu`: {@link bleu} on one segment, but with
 * `effectiveOrder` on by default (so a short sentence is averaged over the orders it has).
 * BLEU is a corpus metric; prefer {@link bleu} to averaging sentence scores.
 *
 * @param hypothesis - one system output
 * @param references - its references (at least one non-empty)
 * @param options - as for {@link bleu}; `effectiveOrder` defaults to `true`
 * @returns the score (0-100) with its parts and signature
 * @throws ConfigError, ShapeError, RangeArgumentError as {@link bleu}
 * @example
 * ```ts
 * sentenceBleu('The cat sat on the mat.', ['The cat is on the mat.']).score; // 48.89...
 * ```
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options?: BleuOptions,
): BleuResult {
  assert(typeof hypothesis === 'string', ConfigError,
    () => `sentenceBleu: hypothesis must be a string, got ${describeValue(hypothesis)}`);
  const resolved = resolveBleuOptions(options, SENTENCE_BLEU_DEFAULTS, 'sentenceBleu');
  return scoreBleu([hypothesis], [references], resolved, 'sentenceBleu');
}

/** Validates the corpus, collects per-segment statistics, sums and scores them. */
function scoreBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: ResolvedBleuOptions,
  fn: string,
): BleuResult {
  const corpus = prepareCorpus(hypotheses, references, fn);
  const preprocess = bleuPreprocessor(options);
  const { maxOrder } = options;
  const stats = corpus.hypotheses.map((hyp, i) => {
    const refs = (corpus.references[i] as readonly string[]).map(preprocess);
    const maxima = referenceNgramMaxima(refs, maxOrder);
    const refLens = refs.map((ref) => ref.length);
    return bleuSegmentStats(preprocess(hyp), refLens, (g, n) => maxima[n - 1]?.get(g) ?? 0, maxOrder);
  });
  const score = bleuFromStats(sumBleuStats(stats, maxOrder), options);
  return { ...score, signature: bleuSignature(corpus.nrefs, options) };
}
