import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX, type CausalLMBatch } from '../data/causal-lm-batch.js';
import { slidingWindows } from '../metrics/perplexity.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { TrainableModel } from './optimization-step.js';

/** Options of {@link evaluatePerplexity}. */
export interface EvaluatePerplexityOptions {
  /** Tokens the model reads at once (its context length, or less). */
  readonly contextLength: number;
  /** Tokens the window advances by (default `contextLength`: no overlap). Smaller strides give
   * every scored token more context and a lower, more faithful perplexity, at more compute. */
  readonly stride?: number;
}

/** Result of {@link evaluatePerplexity}. */
export interface PerplexityResult {
  /** exp(mean NLL) over the scored tokens. */
  readonly perplexity: number;
  /** Mean negative log-likelihood per scored token, in nats. */
  readonly meanNll: number;
  /** Tokens scored. */
  readonly tokenCount: number;
}

/**
 * Token-weighted perplexity of a causal language model over a token stream longer than its
 * context, with the strided sliding window of the Hugging Face perplexity guide
 * (https://huggingface.co/docs/transformers/perplexity): each window of `contextLength` tokens
 * scores only the tokens the previous window did not, using the rest as context. With
 * `stride < contextLength` every token but the first is scored exactly once; with no overlap
 * (`stride === contextLength`) the first token of each window has no context and is not scored,
 * as in the guide.
 * @param model - scores a {@link CausalLMBatch} (mean loss over its non-ignored labels)
 * @param tokens - the evaluation text, tokenised
 * @example
 * ```ts
 * declare const model: GPTCausalLM, validIds: Int32Array;
 * const { perplexity } = await evaluatePerplexity(model, validIds, { contextLength: 128, stride: 64 });
 * ```
 */
export async function evaluatePerplexity(
  model: TrainableModel<CausalLMBatch>,
  tokens: ArrayLike<number>,
  options: EvaluatePerplexityOptions,
): Promise<PerplexityResult> {
  const { contextLength } = options;
  const stride = options.stride ?? contextLength;
  assert(tokens.length >= 2, RangeArgumentError, () => `token stream (${tokens.length} tokens) must hold at least 2 tokens`);
  let total = tf.scalar(0);
  let count = 0;
  for (const { begin, end, targetBegin } of slidingWindows(tokens.length, contextLength, stride)) {
    const n = end - begin - 1; // inputs begin..end-2 predict begin+1..end-1
    if (n < 1) continue;
    const inputIds = new Int32Array(n);
    const labels = new Int32Array(n);
    let scored = 0;
    for (let i = 0; i < n; i++) {
      inputIds[i] = tokens[begin + i] as number;
      const target = begin + i + 1;
      labels[i] = target >= targetBegin ? (tokens[target] as number) : IGNORE_INDEX;
      if (target >= targetBegin) scored++;
    }
    if (scored === 0) continue;
    const next = tf.tidy(() => tf.add(total, tf.mul(model.computeLoss({ batchSize: 1, seqLength: n, inputIds, labels }, false), scored)));
    total.dispose();
    total = next as tf.Scalar;
    count += scored;
  }
  const sum = (await total.data())[0] as number;
  total.dispose();
  const meanNll = sum / count;
  return { perplexity: Math.exp(meanNll), meanNll, tokenCount: count };
}
