import type { NextFn } from './next-fn.js';
import { type StreamGenerateOptions, streamGenerate } from './stream-generate.js';

/** Options of {@link generate}: those of {@link streamGenerate}, plus a per-step callback. */
export interface GenerateOptions<C> extends StreamGenerateOptions<C> {
  /** Called after each step with that step's token of every row, and the step index (from 0). */
  readonly onToken?: (tokens: number[], step: number) => void;
}

/**
 * Generates up to `maxNewTokens` tokens after a prompt (or a batch of equal-length prompts),
 * greedily or by seeded sampling with temperature, top-k and top-p, through the model's step
 * function only. It runs the loop of {@link streamGenerate} (see there for the stopping rule,
 * end-of-sequence handling and the disposal of logits and caches) and collects its output.
 *
 * @typeParam C - the model's cache type
 * @param next - the model's step function (see {@link NextFn})
 * @param prompt - token ids: one row (`number[]`) or a batch of rows of equal length
 * @param options - length, strategy, sampling, cache disposal and an optional callback
 * @returns the NEW tokens only (prompt excluded), one array per row, all of the same length
 *   (rows that met `eosTokenId` are padded with it)
 * @throws RangeArgumentError, ShapeError or VocabularyError for bad prompts or options, before
 *   `next` is ever called
 * @example
 * ```ts
 * const [continuation] = await generate(model.next, tokenizer.encode('Once upon'), {
 *   maxNewTokens: 50, strategy: 'sample', temperature: 0.8, topK: 40, seed: 7,
 *   eosTokenId: 0, disposeCache: (cache) => cache.dispose(),
 * });
 * ```
 */
export async function generate<C>(
  next: NextFn<C>,
  prompt: readonly number[] | readonly (readonly number[])[],
  options: GenerateOptions<C>,
): Promise<number[][]> {
  const stream = streamGenerate(next, prompt, options);
  const out: number[][] = [];
  let step = 0;
  for await (const tokens of stream) {
    tokens.forEach((id, b) => (out[b] ??= []).push(id));
    options.onToken?.(tokens, step++);
  }
  const rows = Array.isArray(prompt[0]) ? prompt.length : 1;
  return Array.from({ length: rows }, (_, b) => out[b] ?? []);
}
