import { BlockPacker, type PackedBlock, type PackOptions, type PackSummary } from './block-packer.js';

/**
 * Options of {@link packSequences}.
 * @example
 * ```ts
 * const summaries: PackSummary[] = [];
 * const options: PackSequencesOptions = { blockSize: 129, eosId: 0, padId: 0, onSummary: (s) => summaries.push(s) };
 * ```
 */
export interface PackSequencesOptions extends PackOptions {
  /** Called once with the final counts when the stream ends (dropped tokens are counted, never silent). */
  readonly onSummary?: (summary: PackSummary) => void;
}

/**
 * Streams tokenised documents into fixed-length blocks with {@link BlockPacker}: `'concat'`
 * packing with EOS separators for causal-LM pre-training, or `'pad'` for per-example padding.
 * Memory holds one block at a time, whatever the corpus size.
 * @param documents - token ids per document, e.g. from `tokenizeDocuments`
 * @example
 * ```ts
 * declare const lines: string[], tokenizer: Tokenizer;
 * const blocks: Int32Array[] = [];
 * for await (const block of packSequences(tokenizeDocuments(lines, tokenizer), { blockSize: 129, eosId: 0, padId: 0 })) {
 *   blocks.push(block.ids);
 * }
 * ```
 */
export async function* packSequences(documents: AsyncIterable<ArrayLike<number>> | Iterable<ArrayLike<number>>,
  options: PackSequencesOptions): AsyncGenerator<PackedBlock> {
  const packer = new BlockPacker(options);
  for await (const document of documents) yield* packer.push(document);
  yield* packer.finish();
  options.onSummary?.(packer.summary());
}
