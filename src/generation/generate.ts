import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { beamSearch } from './beam-search.js';
import type { NextFn, ReorderCacheFn } from './next-fn.js';
import { resolveGenerationOptions } from './resolve-generation-options.js';
import { type StreamGenerateOptions, streamGenerate } from './stream-generate.js';

/** Options of {@link generate}: those of {@link streamGenerate}, a per-step callback and cache reordering. */
export interface GenerateOptions<C> extends StreamGenerateOptions<C> {
  /** Called after each step with that step's token of every row, and the step index (from 0); not in beam search. */
  readonly onToken?: (tokens: number[], step: number) => void;
  /** Selects batch rows of a cache; required by beam search (`numBeams > 1`). */
  readonly reorderCache?: ReorderCacheFn<C>;
}

/**
 * Generates up to `maxNewTokens` tokens after a prompt (or a batch of prompts of any lengths)
 * through the model's step function only: greedily, by seeded sampling, or by beam search when
 * `numBeams > 1` (see {@link beamSearch}). Without beams it runs the loop of
 * {@link streamGenerate} (see there for stopping, padding and the disposal of logits and caches)
 * and collects its output.
 *
 * @typeParam C - the model's cache type
 * @param next - the model's step function (see {@link NextFn})
 * @param prompt - token ids: one row (`number[]`) or a batch of rows
 * @param options - length, strategy, processors, stopping, cache disposal and reordering
 * @returns the NEW tokens only (prompt excluded), all rows of one length (finished rows padded
 *   with `padTokenId`, default the first eos id); `numReturnSequences` rows per prompt, in prompt order
 * @throws RangeArgumentError, ShapeError or VocabularyError for bad prompts or options, before
 *   `next` is ever called
 * @example
 * ```ts
 * declare const model: GPTCausalLM, tokenizer: Tokenizer;
 * const [continuation] = await generate(model.next, tokenizer.encodeIds('Once upon'), {
 *   maxNewTokens: 50, doSample: true, temperature: 0.8, topK: 40, seed: 7,
 *   eosTokenId: 0, disposeCache: disposeGPTCache,
 * });
 * ```
 */
export async function generate<C>(
  next: NextFn<C>,
  prompt: readonly number[] | readonly (readonly number[])[],
  options: GenerateOptions<C>,
): Promise<number[][]> {
  const { rows, numBeams } = resolveGenerationOptions(prompt, options);
  if (numBeams > 1) {
    const { reorderCache } = options;
    assert(reorderCache !== undefined, RangeArgumentError, () => `numBeams (${numBeams}) > 1 needs a reorderCache function`);
    return (await beamSearch(next, prompt, { ...options, reorderCache })).sequences;
  }
  const out: number[][] = rows.map(() => []);
  let step = 0;
  for await (const tokens of streamGenerate(next, prompt, options)) {
    tokens.forEach((id, b) => out[b]?.push(id));
    options.onToken?.(tokens, step++);
  }
  return out;
}
