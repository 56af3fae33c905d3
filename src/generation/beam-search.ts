import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError } from '../utils/errors.js';
import { BeamHypotheses, type BeamHypothesis } from './beam-hypotheses.js';
import { leftPad } from './left-pad.js';
import type { NextFn, NextResult, ReorderCacheFn } from './next-fn.js';
import { penalizeLogits, type TokenHistory } from './penalize-logits.js';
import { resolveGenerationOptions, type ResolvedGeneration } from './resolve-generation-options.js';
import type { StreamGenerateOptions } from './stream-generate.js';
import { stopCriteria } from './stop-criteria.js';

/** Options of {@link beamSearch}: those of generation, plus how to select cache rows. */
export interface BeamSearchOptions<C> extends StreamGenerateOptions<C> {
  /** Selects batch rows of a cache (see {@link ReorderCacheFn}). */
  readonly reorderCache: ReorderCacheFn<C>;
}

/** What {@link beamSearch} returns: `numReturnSequences` rows per prompt, prompt by prompt. */
export interface BeamSearchResult {
  /** New tokens of each returned beam (eos appended when it fits, then padded to one length). */
  readonly sequences: number[][];
  /** Each beam's length-normalised sum of log-probabilities. */
  readonly scores: number[];
}

/** Mutable state of the search: per beam (row `b * numBeams + j`) its generated tokens and score. */
interface Beams { tokens: number[][]; scores: number[] }

/**
 * Beam search (as Hugging Face's `generate` with `num_beams > 1` and `do_sample=False`): keeps the
 * `numBeams` most likely partial continuations of each prompt, scored by their summed
 * log-probabilities after the penalties of `penalizeLogits`. Each step ranks the
 * `max(2, 1 + #eos) · numBeams` best extensions; an extension by an eos id among the first
 * `numBeams` becomes a finished hypothesis scored `sum / length ** lengthPenalty`, the others
 * continue. `earlyStopping` decides when a prompt is done (see {@link BeamHypotheses}); at the end,
 * open beams compete with the finished ones. The model's cache follows its beams through
 * `reorderCache`, and the prompt is encoded once and then copied to every beam. Stop strings
 * (`stop` + `decode`) end the search, as Hugging Face's stopping criteria do in beam search, once
 * every beam of every unfinished prompt contains one of them (a beam is not dropped for holding
 * one: it may still win); the open beams then compete with the finished hypotheses.
 *
 * @typeParam C - the model's cache type
 * @param next - the model's step function
 * @param prompt - token ids: one row or several (shorter ones are left-padded)
 * @param options - `numBeams`, `lengthPenalty`, `earlyStopping`, `numReturnSequences`, eos/pad,
 *   penalties, `maxNewTokens`, `maxTime`, `signal`, and cache disposal and reordering
 * @returns the best `numReturnSequences` beams of every prompt and their scores
 * @throws RangeArgumentError for options outside their range (sampling included)
 * @throws ShapeError for logits from `next` that are not `[B · numBeams, V]`
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const { sequences, scores } = await beamSearch(model.next, [1, 2, 3], {
 *   maxNewTokens: 20, numBeams: 4, numReturnSequences: 2, eosTokenId: 0,
 *   disposeCache: disposeGPTCache, reorderCache: reorderGPTCache,
 * });
 * ```
 */
export async function beamSearch<C>(
  next: NextFn<C>,
  prompt: readonly number[] | readonly (readonly number[])[],
  options: BeamSearchOptions<C>,
): Promise<BeamSearchResult> {
  const p = resolveGenerationOptions(prompt, options);
  const { numBeams: nb, rows } = p;
  if (p.maxNewTokens === 0) {
    const count = rows.length * p.numReturnSequences;
    return { sequences: Array.from({ length: count }, () => []), scores: Array<number>(count).fill(0) };
  }
  const hyps = rows.map(() => new BeamHypotheses(nb, p.lengthPenalty, p.earlyStopping, p.maxNewTokens));
  const beams: Beams = {
    tokens: Array.from({ length: rows.length * nb }, () => []),
    scores: Array.from({ length: rows.length * nb }, (_, i) => (i % nb === 0 ? 0 : -1e9)), // only beam 0 starts
  };
  const done = rows.map(() => false);
  const stop = stopCriteria(p);
  const run = stepper(next, options, rows.length * nb);
  try {
    let logits = run.first(p, rows.flatMap((_, b) => Array<number>(nb).fill(b)));
    for (let step = 0; ; step++) {
      const history: TokenHistory = { // sequences built only when a penalty reads them
        get sequences() { return beams.tokens.map((g, i) => [...(rows[Math.floor(i / nb)] as number[]), ...g]); },
        generated: beams.tokens,
      };
      const sources = await advance(logits, history, beams, hyps, done, p, step);
      if (done.every(Boolean) || step + 1 >= p.maxNewTokens || stop.halted() || allBeamsStopped(beams, done, p)) break;
      logits = run.step(beams.tokens.map((g) => g[g.length - 1] as number), sources);
    }
  } finally {
    run.dispose();
  }
  return finalize(hyps, done, beams, p);
}

/** Wraps `next` and the cache's lifetime: the first call, then steps that reorder the cache. */
function stepper<C>(next: NextFn<C>, o: BeamSearchOptions<C>, width: number): {
  first(p: ResolvedGeneration, expand: number[]): tf.Tensor2D;
  step(tokens: number[], sources: number[]): tf.Tensor2D;
  dispose(): void;
} {
  let cache: C | null = null;
  let logits: tf.Tensor | null = null;
  const swap = (fresh: C): void => {
    if (cache !== null && fresh !== cache) o.disposeCache(cache);
    cache = fresh;
  };
  const take = (out: NextResult<C>): tf.Tensor => {
    swap(out.cache);
    logits?.dispose();
    logits = out.logits;
    return out.logits;
  };
  return {
    first(p, expand) {
      const prompt = leftPad(p.rows, p.filler ?? 0);
      const mask = prompt.mask === null ? undefined : tf.tensor2d(prompt.mask, undefined, 'int32'); // [B, T]
      const ids = tf.tensor2d(prompt.ids, undefined, 'int32'); // [B, T]
      let out: NextResult<C>;
      try {
        out = next(ids, null, mask === undefined ? undefined : { attentionMask: mask });
      } finally {
        tf.dispose([ids, ...(mask === undefined ? [] : [mask])]);
      }
      const raw = take(out);
      assert(raw.rank === 2 && raw.shape[0] === p.rows.length, ShapeError,
        () => `next must return logits [B, V] with B = ${p.rows.length}, got [${raw.shape}]`);
      swap(o.reorderCache(cache as C, expand));
      const expanded = tf.tidy(() => tf.gather(raw, expand)); // [B, V] -> [B * numBeams, V]
      raw.dispose();
      logits = expanded;
      return expanded as tf.Tensor2D;
    },
    step(tokens, sources) {
      swap(o.reorderCache(cache as C, sources));
      const input = tf.tensor2d(tokens, [width, 1], 'int32'); // [B * numBeams, 1]
      let out: NextResult<C>;
      try {
        out = next(input, cache);
      } finally {
        input.dispose();
      }
      const l = take(out);
      assert(l.rank === 2 && l.shape[0] === width, ShapeError,
        () => `next must return logits [B, V] with B = ${width}, got [${l.shape}]`);
      return l as tf.Tensor2D;
    },
    dispose() {
      logits?.dispose();
      if (cache !== null) o.disposeCache(cache);
    },
  };
}

/**
 * One step of Hugging Face's `BeamSearchScorer.process`: ranks the extensions of every beam,
 * files finished hypotheses, updates `beams` and `done`, and returns for each new beam the index
 * of the beam it extends.
 */
async function advance(
  logits: tf.Tensor2D, history: TokenHistory, beams: Beams, hyps: BeamHypotheses[], done: boolean[],
  p: ResolvedGeneration, step: number,
): Promise<number[]> {
  const nb = p.numBeams;
  const [width, vocab] = logits.shape;
  const batch = width / nb;
  const k = Math.min(Math.max(2, 1 + p.eosIds.length) * nb, nb * vocab);
  const [values, indices] = tf.tidy(() => {
    const scored = tf.add(penalizeLogits(tf.logSoftmax(logits), p, history), tf.tensor2d(beams.scores, [width, 1]));
    const top = tf.topk(tf.reshape(scored, [batch, nb * vocab]), k); // [B * nb, V] -> [B, nb * V]
    return [top.values, top.indices];
  });
  const [score, flat] = await Promise.all([values.data(), indices.data()]).finally(() => tf.dispose([values, indices]));
  const tokens: number[] = [];
  const scores: number[] = [];
  const sources: number[] = [];
  for (let b = 0; b < batch; b++) {
    if (done[b]) {
      for (let j = 0; j < nb; j++) { tokens.push(p.filler ?? 0); scores.push(0); sources.push(b * nb); }
      continue;
    }
    let kept = 0;
    for (let r = 0; r < k && kept < nb; r++) {
      const s = score[b * k + r] as number;
      const id = flat[b * k + r] as number;
      const source = b * nb + Math.floor(id / vocab);
      const token = id % vocab;
      if (p.eosIds.includes(token)) {
        if (r < nb) (hyps[b] as BeamHypotheses).add([...(beams.tokens[source] as number[])], s, step + 1);
        continue;
      }
      tokens.push(token); scores.push(s); sources.push(source);
      kept++;
    }
    assert(kept === nb, RangeArgumentError, () => `beam search needs ${nb} non-eos tokens per step, found ${kept} (vocabulary ${vocab})`);
    done[b] = (hyps[b] as BeamHypotheses).isDone(score[b * k] as number, step + 1);
  }
  beams.tokens = sources.map((src, i) => [...(beams.tokens[src] as number[]), tokens[i] as number]);
  beams.scores = scores;
  return sources;
}

/** Whether every beam of every unfinished prompt holds a stop string in its decoded text. */
function allBeamsStopped(beams: Beams, done: readonly boolean[], p: ResolvedGeneration): boolean {
  const { stop, decode, numBeams } = p;
  if (stop === undefined || decode === undefined) return false;
  return beams.tokens.every((tokens, i) => {
    if (done[Math.floor(i / numBeams)]) return true;
    const text = decode([...tokens]);
    return stop.some((s) => text.includes(s));
  });
}

/** Hugging Face's `finalize`: open beams of unfinished prompts join the hypotheses; best first, eos appended if it fits. */
function finalize(hyps: BeamHypotheses[], done: boolean[], beams: Beams, p: ResolvedGeneration): BeamSearchResult {
  const nb = p.numBeams;
  const chosen: BeamHypothesis[] = hyps.flatMap((h, b) => {
    if (!done[b]) {
      for (let j = b * nb; j < (b + 1) * nb; j++) {
        const tokens = beams.tokens[j] as number[];
        h.add(tokens, beams.scores[j] as number, tokens.length);
      }
    }
    return h.best(p.numReturnSequences);
  });
  // Room for the appended eos, when there is one (a search stopped early by stop strings may have none).
  const room = p.eosIds.length > 0 ? 1 : 0;
  const longest = Math.min(Math.max(0, ...chosen.map((h) => h.tokens.length)) + room, p.maxNewTokens);
  const sequences = chosen.map((h) => {
    const out = [...h.tokens];
    if (out.length < longest && p.eosIds.length > 0) out.push(p.eosIds[0] as number);
    while (out.length < longest) out.push(p.filler as number);
    return out;
  });
  return { sequences, scores: chosen.map((h) => h.score) };
}
