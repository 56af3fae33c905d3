import { bleu } from '../metrics/bleu.js';
import type { BleuOptions } from '../metrics/bleu-options.js';
import { chrf, type ChrfOptions } from '../metrics/chrf.js';
import { exactMatch } from '../metrics/exact-match.js';
import { rougeMulti } from '../metrics/rouge-multi.js';
import type { RougeTokenizeOptions } from '../metrics/rouge-tokenize.js';
import { tokenF1 } from '../metrics/token-f1.js';
import type { Metrics } from '../callbacks/callback.js';
import { assert } from '../utils/assert.js';
import { ConfigError, ShapeError } from '../utils/errors.js';

/** One evaluation example: an input and the acceptable outputs. */
export interface GenerationExample {
  /** What the model is given (a prompt, a source sentence...). */
  readonly input: string;
  /** One or more reference outputs. */
  readonly references: readonly string[];
}

/**
 * How {@link evaluateGeneration} computes its metrics: sacrebleu's options for BLEU and chrF,
 * rouge-score's for ROUGE (e.g. `{ bleu: { tokenize: 'zh' }, rouge: { tokenizer: 'unicode' } }`
 * for Chinese, which the defaults, like the reference tools', mostly ignore).
 */
export interface GenerationMetricOptions {
  /** Options of `bleu` (tokenize, smooth, lowercase...). */
  readonly bleu?: BleuOptions;
  /** Options of `chrf` (charOrder, wordOrder...). */
  readonly chrf?: ChrfOptions;
  /** Options of `rouge` (useStemmer, tokenizer). */
  readonly rouge?: RougeTokenizeOptions;
}

/** Metrics {@link evaluateGeneration} can compute on generated text. */
export type GenerationMetricName = 'bleu' | 'chrf' | 'rouge1' | 'rouge2' | 'rougeL' | 'exact_match' | 'token_f1';

/**
 * Generates an output for every example and scores the outputs against the references: corpus
 * BLEU and chrF (sacrebleu defaults), ROUGE F-measures (rouge-score, best reference per example,
 * averaged), SQuAD exact match and token F1 (averaged). Scores are on sacrebleu's 0-100 scale for
 * BLEU/chrF and 0-1 for the others.
 * @param generate - produces one output per input, in order (e.g. a batched model.generate + decode)
 * @param examples - inputs and references
 * @param metrics - which metrics to compute
 * @param options - per-metric options (tokenizers for Chinese, stemming...)
 * @returns metric values by name (`bleu`, `rougeL`, ...)
 * @example
 * ```ts
 * declare const examples: GenerationExample[], translate: (text: string) => string;
 * const scores = await evaluateGeneration(
 *   async (inputs) => inputs.map((s) => translate(s)), examples, ['bleu', 'chrf', 'rougeL']);
 * ```
 */
export async function evaluateGeneration(
  generate: (inputs: readonly string[]) => Promise<readonly string[]> | readonly string[],
  examples: readonly GenerationExample[],
  metrics: readonly GenerationMetricName[],
  options: GenerationMetricOptions = {},
): Promise<Metrics> {
  assert(examples.length > 0, ConfigError, () => 'evaluateGeneration needs at least one example');
  const outputs = await generate(examples.map((e) => e.input));
  assert(outputs.length === examples.length, ShapeError,
    () => `generate returned ${outputs.length} outputs for ${examples.length} inputs`);
  const references = examples.map((e) => e.references);
  const mean = (score: (output: string, refs: readonly string[]) => number) =>
    outputs.reduce((sum, output, i) => sum + score(output, references[i] as readonly string[]), 0) / outputs.length;
  const result: Record<string, number> = {};
  for (const metric of metrics) {
    switch (metric) {
      case 'bleu': result.bleu = bleu(outputs, references, options.bleu).score; break;
      case 'chrf': result.chrf = chrf(outputs, references, options.chrf).score; break;
      case 'exact_match': result.exact_match = mean((o, refs) => exactMatch(o, refs)); break;
      case 'token_f1': result.token_f1 = mean((o, refs) => tokenF1(o, refs)); break;
      case 'rouge1': case 'rouge2': case 'rougeL':
        result[metric] = mean((o, refs) => rougeMulti(refs, o, { ...options.rouge, types: [metric] })[metric].fmeasure);
        break;
      default: throw new ConfigError(`unknown generation metric ${JSON.stringify(metric)}`);
    }
  }
  return result;
}
