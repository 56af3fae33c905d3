import type { LogitsPenalties } from './penalize-logits.js';
import type { LogitsProcessing } from './process-logits.js';

/**
 * Everything that steers one generation call, in camelCase after Hugging Face's `GenerationConfig`
 * (see `generationOptionsFromHuggingFace` for the mapping) plus OpenAI-style penalties, stop
 * strings, a time limit and an `AbortSignal`. Only `maxNewTokens` is required.
 *
 * Decoding strategy: greedy by default; sampling when `doSample` is true (or `strategy` is
 * `'sample'`, the older spelling); beam search when `numBeams > 1`. The sampling warpers
 * (`temperature`, `topK`, `topP`, `minP`, `typicalP`) apply to sampling only; the penalties
 * (`repetitionPenalty`, `presencePenalty`, `frequencyPenalty`, `noRepeatNgramSize`, `badWordsIds`,
 * `logitBias`) to every strategy.
 */
export interface GenerationOptions extends LogitsProcessing, LogitsPenalties {
  /** How many tokens to produce per row at most (a non-negative integer). */
  readonly maxNewTokens: number;
  /** Sample instead of decoding greedily (Hugging Face's `do_sample`; default false). */
  readonly doSample?: boolean;
  /** The older spelling of `doSample`: `'greedy'` (default) or `'sample'`; must agree with `doSample`. */
  readonly strategy?: 'greedy' | 'sample';
  /** Seed of the sampling generator (default 0: the same call gives the same tokens). */
  readonly seed?: number;
  /** A row that produces one of these tokens is finished (one id or several). */
  readonly eosTokenId?: number | readonly number[];
  /**
   * Fills finished rows and left-pads shorter prompts (default: the first `eosTokenId`; prompts
   * are padded with 0 when neither is set, which the attention mask hides).
   */
  readonly padTokenId?: number;
  /** A row whose decoded generated text contains one of these strings is finished (needs `decode`). */
  readonly stop?: readonly string[];
  /** Token ids → text, for `stop` (the tokenizer's decode). */
  readonly decode?: (ids: number[]) => string;
  /** Wall-clock budget in seconds (Hugging Face's `max_time`): no step starts after it. */
  readonly maxTime?: number;
  /** Aborting it ends generation after the current step; what was generated is kept. */
  readonly signal?: AbortSignal;
  /** Beam width; > 1 selects beam search (default 1). */
  readonly numBeams?: number;
  /** Beam scores are divided by length ** lengthPenalty (default 1; > 0 favours longer outputs). */
  readonly lengthPenalty?: number;
  /** Beam search stopping rule, as Hugging Face: `true`, `false` (default, a heuristic) or `'never'`. */
  readonly earlyStopping?: boolean | 'never';
  /** Sequences returned per prompt: the best beams, or independent samples (default 1). */
  readonly numReturnSequences?: number;
}
