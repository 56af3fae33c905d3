import * as tf from '@tensorflow/tfjs-core';
import { assertLogits } from './assert-logits.js';
import { badWords } from './bad-words.js';
import { logitBias, type LogitBiasMap } from './logit-bias.js';
import { noRepeatNGram } from './no-repeat-ngram.js';
import { presenceFrequencyPenalty, type PresenceFrequency } from './presence-frequency-penalty.js';
import { repetitionPenalty } from './repetition-penalty.js';

/** The history-dependent logits processors {@link penalizeLogits} applies, each optional. */
export interface LogitsPenalties extends PresenceFrequency {
  /** Token id → value added to its logit (OpenAI `logit_bias`). */
  readonly logitBias?: LogitBiasMap;
  /** CTRL repetition penalty over prompt and generated tokens (1: none). */
  readonly repetitionPenalty?: number;
  /** Ban tokens that would repeat an n-gram of this size (prompt included). */
  readonly noRepeatNgramSize?: number;
  /** Token sequences never to generate (one or several ids each); generation drops a lone eos id, as Hugging Face. */
  readonly badWordsIds?: readonly (readonly number[])[];
}

/** What the penalties look at: per row, the whole sequence so far and the generated part alone. */
export interface TokenHistory {
  /** Prompt (without padding) followed by the generated tokens, one list per row. */
  readonly sequences: readonly (readonly number[])[];
  /** The generated tokens alone, one list per row. */
  readonly generated: readonly (readonly number[])[];
}

/**
 * Applies the logits processors that depend on the tokens so far, in Hugging Face's order
 * (`_get_logits_processor`: sequence bias, repetition penalty, no-repeat n-gram, bad words), with
 * OpenAI's presence/frequency penalties (which Hugging Face lacks) right after the repetition
 * penalty. Unlike the sampling warpers of {@link processLogits}, these apply to every strategy:
 * greedy, sampling and beam search.
 *
 * @param logits - `[B, V]` next-token logits (or log-probabilities, in beam search); not disposed
 * @param penalties - which processors to apply
 * @param history - the tokens of every row so far
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError, ShapeError or VocabularyError from the processors, naming the bad value
 * @example
 * ```ts
 * const logits = tf.zeros([1, 8]); // one row, vocabulary of 8
 * const out = penalizeLogits(logits, { repetitionPenalty: 1.2, noRepeatNgramSize: 3 },
 *   { sequences: [[5, 6, 7, 5, 6]], generated: [[5, 6]] });
 * ```
 */
export function penalizeLogits(logits: tf.Tensor, penalties: LogitsPenalties, history: TokenHistory): tf.Tensor2D {
  assertLogits(logits, 'penalizeLogits');
  return tf.tidy(() => {
    let out: tf.Tensor2D = logits;
    const p = penalties;
    if (p.logitBias !== undefined) out = logitBias(out, p.logitBias);
    if (p.repetitionPenalty !== undefined && p.repetitionPenalty !== 1) {
      out = repetitionPenalty(out, history.sequences, p.repetitionPenalty);
    }
    if ((p.presencePenalty ?? 0) !== 0 || (p.frequencyPenalty ?? 0) !== 0) {
      out = presenceFrequencyPenalty(out, history.generated, p);
    }
    if (p.noRepeatNgramSize !== undefined) out = noRepeatNGram(out, history.sequences, p.noRepeatNgramSize);
    if (p.badWordsIds !== undefined) out = badWords(out, history.sequences, p.badWordsIds);
    return out === logits ? tf.clone(logits) : out;
  });
}
