import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';
import type { GenerationOptions } from './generation-options.js';
import { greedy } from './greedy.js';
import { leftPad } from './left-pad.js';
import type { NextFn } from './next-fn.js';
import { penalizeLogits, type TokenHistory } from './penalize-logits.js';
import { processLogits } from './process-logits.js';
import { resolveGenerationOptions, type ResolvedGeneration } from './resolve-generation-options.js';
import { sample } from './sample.js';
import { stopCriteria } from './stop-criteria.js';

/** Options of {@link streamGenerate}: the {@link GenerationOptions} and how to free caches. */
export interface StreamGenerateOptions<C> extends GenerationOptions {
  /** Frees a cache returned by `next` once it is replaced, and the last one when the loop ends. */
  readonly disposeCache: (cache: C) => void;
}

/**
 * Streams greedy or sampled generation step by step: yields, after each decoding step, the new
 * token of every batch row (`tokens[b]` for row `b`). The first step feeds the whole prompt to
 * `next` with a null cache (prompts of different lengths are left-padded, and the attention mask
 * is passed along); every later step feeds the previous step's tokens (`[B, 1]`) with the cache
 * `next` returned. A row is finished when it produces an `eosTokenId` or its decoded text contains
 * a `stop` string; finished rows then emit `padTokenId` (default: the first eos id). Generation
 * ends after `maxNewTokens` steps, when every row is finished, when `maxTime` is spent or when
 * `signal` is aborted (checked between steps; what was yielded stands). Every tensor the loop
 * receives (logits and caches) is disposed, including when the consumer stops early (`break`) or
 * `next` throws. Options are validated when this function is called, before any step runs.
 *
 * @typeParam C - the model's cache type
 * @param next - the model's step function (see {@link NextFn} for ownership rules)
 * @param prompt - token ids: one row (`number[]`) or a batch of rows (lengths may differ)
 * @param options - length, strategy, processors, stopping and cache disposal
 * @returns an async iterator of per-step token arrays, one id per row
 * @throws RangeArgumentError for an empty prompt or row, an option outside its range, or beam search
 * @throws ShapeError for a malformed prompt, or logits from `next` that are not `[B, V]`
 * @throws VocabularyError for a prompt token that is not a non-negative integer
 * @example
 * ```ts
 * declare const model: GPTCausalLM, tokenizer: Tokenizer;
 * for await (const [token] of streamGenerate(model.next, [1, 2, 3], {
 *   maxNewTokens: 20, doSample: true, topP: 0.9, seed: 1, disposeCache: disposeGPTCache,
 * })) {
 *   process.stdout.write(tokenizer.decode([token!]));
 * }
 * ```
 */
export function streamGenerate<C>(
  next: NextFn<C>,
  prompt: readonly number[] | readonly (readonly number[])[],
  options: StreamGenerateOptions<C>,
): AsyncGenerator<number[], void, undefined> {
  const plan = resolveGenerationOptions(prompt, options);
  assert(plan.numBeams === 1, RangeArgumentError, () => `numBeams (${plan.numBeams}) > 1 cannot stream: use generate`);
  return decode(next, plan, options.disposeCache);
}

async function* decode<C>(next: NextFn<C>, p: ResolvedGeneration, disposeCache: (cache: C) => void): AsyncGenerator<number[], void, undefined> {
  if (p.maxNewTokens === 0) return;
  const stop = stopCriteria(p);
  const batch = p.rows.length;
  const rng = new Rng(p.seed);
  const generated: number[][] = p.rows.map(() => []);
  const finished = p.rows.map(() => false);
  const prompt = leftPad(p.rows, p.filler ?? 0);
  // Built only when a penalty reads it.
  const history: TokenHistory = { get sequences() { return p.rows.map((row, b) => [...row, ...(generated[b] as number[])]); }, generated };
  let cache: C | null = null;
  let input = tf.tensor2d(prompt.ids, [batch, prompt.ids[0]?.length ?? 0], 'int32'); // [B, T] prompt
  let mask = prompt.mask === null ? null : tf.tensor2d(prompt.mask, undefined, 'int32'); // [B, T]
  try {
    for (let step = 0; !stop.halted(); step++) {
      const out = next(input, cache, mask === null ? undefined : { attentionMask: mask });
      tf.dispose([input, ...(mask === null ? [] : [mask])]);
      mask = null;
      if (cache !== null && out.cache !== cache) disposeCache(cache);
      cache = out.cache;
      const drawn = await pickTokens(out.logits, batch, p, rng, history);
      const tokens = drawn.map((id, b) => (finished[b] ? (p.filler as number) : id));
      tokens.forEach((id, b) => {
        if (finished[b]) return;
        (generated[b] as number[]).push(id);
        finished[b] = stop.rowFinished(b, generated[b] as number[]);
      });
      yield tokens;
      if (step + 1 >= p.maxNewTokens || finished.every(Boolean)) return;
      input = tf.tensor2d(tokens, [batch, 1], 'int32'); // [B, 1] the tokens just produced
    }
  } finally {
    tf.dispose([input, ...(mask === null ? [] : [mask])]);
    if (cache !== null) disposeCache(cache);
  }
}

/** One token per row from `logits` (which this disposes): penalties, then greedy or warped sampling. */
async function pickTokens(logits: tf.Tensor, batch: number, p: ResolvedGeneration, rng: Rng, history: TokenHistory): Promise<number[]> {
  let penalized: tf.Tensor2D | null = null;
  try {
    assert(logits.rank === 2 && logits.shape[0] === batch, ShapeError,
      () => `next must return logits [B, V] with B = ${batch}, got [${logits.shape}]`);
    penalized = penalizeLogits(logits, p, history);
    if (!p.sampling) return await greedy(penalized);
    const processed = processLogits(penalized, p);
    try {
      return await sample(processed, rng);
    } finally {
      processed.dispose();
    }
  } finally {
    logits.dispose();
    penalized?.dispose();
  }
}
