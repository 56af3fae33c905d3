import { IncrementalDecoder } from './incremental-decoder.js';

/**
 * Turns a stream of per-step tokens (one per row, as `streamGenerate` and `GPTCausalLM.stream`
 * yield) into a stream of text deltas, one string per row, never splitting a multi-byte character
 * (see {@link IncrementalDecoder}). Steps that make no row's text longer are skipped; when the
 * token stream ends, the held-back remainder is yielded. Breaking out stops the token stream too.
 *
 * @param steps - per-step token arrays, all of the same length B
 * @param decode - token ids to text (the tokenizer's decode)
 * @returns an async iterator of `string[]` (B deltas per item)
 * @example
 * ```ts
 * declare const model: GPTCausalLM, tokenizer: Tokenizer, ids: number[];
 * const decode = (tokens: number[]): string => tokenizer.decode(tokens); // bound: decode is a method
 * for await (const [delta] of streamText(model.stream([ids], { maxNewTokens: 50 }), decode)) {
 *   process.stdout.write(delta!);
 * }
 * ```
 */
export async function* streamText(
  steps: AsyncIterable<readonly number[]>, decode: (ids: number[]) => string,
): AsyncGenerator<string[], void, undefined> {
  const decoders: IncrementalDecoder[] = [];
  for await (const tokens of steps) {
    const deltas = tokens.map((token, b) => (decoders[b] ??= new IncrementalDecoder(decode)).push(token));
    if (deltas.some((d) => d.length > 0)) yield deltas;
  }
  const rest = decoders.map((d) => d.flush());
  if (rest.some((d) => d.length > 0)) yield rest;
}
