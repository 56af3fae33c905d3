import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError, VocabularyError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';
import { assertTemperature } from './apply-temperature.js';
import { greedy } from './greedy.js';
import type { NextFn } from './next-fn.js';
import { type LogitsProcessing, processLogits } from './process-logits.js';
import { sample } from './sample.js';
import { assertTopK } from './top-k.js';
import { assertTopP } from './top-p.js';

/** Options of {@link streamGenerate} (and of `generate`). */
export interface StreamGenerateOptions<C> extends LogitsProcessing {
  /** How many tokens to produce per row at most (a non-negative integer). */
  readonly maxNewTokens: number;
  /** `'greedy'` (argmax, the default) or `'sample'` (temperature, topK and topP apply to it only). */
  readonly strategy?: 'greedy' | 'sample';
  /** Seed of the sampling {@link Rng} (default 0: the same call gives the same tokens). */
  readonly seed?: number;
  /** A row that produces this token is finished: it emits it again until every row is finished. */
  readonly eosTokenId?: number;
  /** Frees a cache returned by `next` once it is replaced, and the last one when the loop ends. */
  readonly disposeCache: (cache: C) => void;
}

/** Validated options with defaults. */
interface Plan<C> extends StreamGenerateOptions<C> {
  readonly rows: number[][];
  readonly strategy: 'greedy' | 'sample';
  readonly seed: number;
}

/**
 * Streams generation step by step: yields, after each decoding step, the new token of every batch
 * row (`tokens[b]` for row `b`). The first step feeds the whole prompt to `next` with a null cache;
 * every later step feeds the previous step's tokens (`[B, 1]`) with the cache `next` returned.
 * Generation stops after `maxNewTokens` steps, or as soon as every row has produced `eosTokenId`
 * (rows that finished earlier keep emitting `eosTokenId`). Every tensor the loop receives —
 * logits and caches — is disposed, including when the consumer stops early (`break`) or `next`
 * throws. Options are validated when this function is called, before any step runs.
 *
 * @typeParam C - the model's cache type
 * @param next - the model's step function (see {@link NextFn} for ownership rules)
 * @param prompt - token ids: one row (`number[]`) or a batch of rows of equal length
 * @param options - length, strategy, sampling and cache disposal
 * @returns an async iterator of per-step token arrays, one id per row
 * @throws RangeArgumentError for an empty prompt or row, or an option outside its range
 * @throws ShapeError for rows of unequal length, or logits from `next` that are not `[B, V]`
 * @throws VocabularyError for a prompt token that is not a non-negative integer
 * @example
 * ```ts
 * for await (const [token] of streamGenerate(next, [1, 2, 3], {
 *   maxNewTokens: 20, strategy: 'sample', topP: 0.9, seed: 1, disposeCache: (c) => c.dispose(),
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
  return decode(next, plan(prompt, options));
}

function plan<C>(prompt: readonly number[] | readonly (readonly number[])[], options: StreamGenerateOptions<C>): Plan<C> {
  assert(prompt.length > 0, RangeArgumentError, () => 'prompt is empty: give at least one token');
  const rows = (Array.isArray(prompt[0]) ? prompt : [prompt]) as readonly (readonly number[])[];
  rows.forEach((row, b) => {
    assert(Array.isArray(row), ShapeError, () => `prompt mixes token ids and rows (row ${b} is ${JSON.stringify(row)})`);
    assert(row.length > 0, RangeArgumentError, () => `prompt row ${b} is empty: give at least one token`);
    assert(row.length === rows[0]?.length, ShapeError, () => `prompt rows must have equal lengths in this version, `
      + `got ${rows.map((r) => r.length).join(', ')}`);
    const bad = row.findIndex((id) => !Number.isInteger(id) || id < 0);
    assert(bad < 0, VocabularyError, () => `prompt row ${b} position ${bad} holds ${row[bad]}, not a token id`);
  });
  const { maxNewTokens, eosTokenId, temperature, topK, topP, seed = 0, strategy = 'greedy' } = options;
  assert(Number.isInteger(maxNewTokens) && maxNewTokens >= 0, RangeArgumentError,
    () => `maxNewTokens (${maxNewTokens}) must be a non-negative integer`);
  assert(strategy === 'greedy' || strategy === 'sample', RangeArgumentError,
    () => `strategy (${String(strategy)}) must be 'greedy' or 'sample'`);
  assert(eosTokenId === undefined || (Number.isInteger(eosTokenId) && eosTokenId >= 0), VocabularyError,
    () => `eosTokenId (${eosTokenId}) must be a non-negative integer`);
  assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
  if (temperature !== undefined) assertTemperature(temperature);
  if (topK !== undefined) assertTopK(topK);
  if (topP !== undefined) assertTopP(topP);
  return { ...options, rows: rows.map((row) => [...row]), strategy, seed };
}

async function* decode<C>(next: NextFn<C>, p: Plan<C>): AsyncGenerator<number[], void, undefined> {
  if (p.maxNewTokens === 0) return;
  const batch = p.rows.length;
  const rng = new Rng(p.seed);
  const finished = p.rows.map(() => false);
  let cache: C | null = null;
  let input = tf.tensor2d(p.rows, [batch, p.rows[0]?.length ?? 0], 'int32'); // [B, T] prompt
  try {
    for (let step = 0; ; step++) {
      const out = next(input, cache);
      input.dispose();
      if (cache !== null && out.cache !== cache) p.disposeCache(cache);
      cache = out.cache;
      const drawn = await pickTokens(out.logits, batch, p, rng);
      const tokens = drawn.map((id, b) => (finished[b] ? (p.eosTokenId as number) : id));
      tokens.forEach((id, b) => { finished[b] = finished[b] === true || id === p.eosTokenId; });
      yield tokens;
      if (step + 1 >= p.maxNewTokens || finished.every(Boolean)) return;
      input = tf.tensor2d(tokens, [batch, 1], 'int32'); // [B, 1] the tokens just produced
    }
  } finally {
    input.dispose();
    if (cache !== null) p.disposeCache(cache);
  }
}

/** One token per row from `logits` (which this disposes), by the plan's strategy. */
async function pickTokens<C>(logits: tf.Tensor, batch: number, p: Plan<C>, rng: Rng): Promise<number[]> {
  try {
    assert(logits.rank === 2 && logits.shape[0] === batch, ShapeError,
      () => `next must return logits [B, V] with B = ${batch}, got [${logits.shape}]`);
    if (p.strategy === 'greedy') return await greedy(logits);
    const processed = processLogits(logits, p);
    try {
      return await sample(processed, rng);
    } finally {
      processed.dispose();
    }
  } finally {
    logits.dispose();
  }
}
