import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';

/**
 * A fixed-length block of tokens. In `'concat'` mode every block is full except perhaps a padded
 * last one; in `'pad'` mode each block holds (a chunk of) one document followed by padding.
 * @example
 * ```ts
 * const block: PackedBlock = { ids: Int32Array.of(5, 6, 1, 0), length: 3 };
 * ```
 */
export interface PackedBlock {
  /** Exactly `blockSize` token ids; positions from `length` on hold `padId`. */
  readonly ids: Int32Array;
  /** Real (non-padding) tokens at the start of `ids`. */
  readonly length: number;
}

/**
 * Options of {@link BlockPacker} and {@link packSequences}.
 * @example
 * ```ts
 * const options: PackOptions = { blockSize: 129, eosId: 0, padId: 0, remainder: 'drop' };
 * ```
 */
export interface PackOptions {
  /**
   * Tokens per block. For causal-LM training ask for `seqLength + 1`: a block then gives
   * `seqLength` inputs and `seqLength` shifted labels (see `collateCausalLM`).
   */
  readonly blockSize: number;
  /** Separator appended after every document (end of text); none when undefined. */
  readonly eosId?: number;
  /**
   * `'concat'` (default): documents and separators run on across blocks, no padding (GPT
   * pre-training). `'pad'`: each document starts a new block, padded at the end; a document
   * longer than a block continues in the next blocks (nothing is truncated).
   */
  readonly mode?: 'concat' | 'pad';
  /** Padding id, needed by `'pad'` mode and by `'concat'` with `remainder: 'pad'`. */
  readonly padId?: number;
  /**
   * In `'concat'` mode, what to do with the tokens left after the last full block: `'pad'`
   * (default) emits them as a last block padded with `padId`; `'drop'` drops them, counted in
   * {@link PackSummary.droppedTokens}.
   */
  readonly remainder?: 'pad' | 'drop';
}

/**
 * What a packer did: every token is accounted for
 * (`tokens + separators = blocks × blockSize − paddingTokens + droppedTokens`).
 * @example
 * ```ts
 * declare const packer: BlockPacker;
 * const summary: PackSummary = packer.summary();
 * ```
 */
export interface PackSummary {
  /** Documents read. */
  readonly documents: number;
  /** Documents with no tokens (they add only a separator, if any). */
  readonly emptyDocuments: number;
  /** Document tokens read (separators not included). */
  readonly tokens: number;
  /** Separators (EOS) added. */
  readonly separators: number;
  /** Blocks emitted. */
  readonly blocks: number;
  /** Padding positions in the emitted blocks. */
  readonly paddingTokens: number;
  /** Tokens (document tokens or separators) of the final partial block dropped by `remainder: 'drop'`. */
  readonly droppedTokens: number;
}

/**
 * Packs tokenised documents into fixed-length blocks, synchronously: `push` a document, get the
 * blocks it completed; `finish` returns the last ones. {@link packSequences} is the streaming form.
 * Concatenating the blocks' real tokens and removing the separators gives back the documents
 * exactly (in `'concat'` mode with `remainder: 'drop'`, minus the counted dropped tail).
 * @example
 * ```ts
 * const packer = new BlockPacker({ blockSize: 4, eosId: 0, padId: 0 });
 * packer.push([5, 6, 7]); // [{ ids: [5, 6, 7, 0], length: 4 }]
 * packer.finish(); // []
 * ```
 */
export class BlockPacker {
  private readonly blockSize: number;
  private readonly mode: 'concat' | 'pad';
  private readonly remainder: 'pad' | 'drop';
  private buffer: Int32Array;
  private filled = 0;
  private readonly counts = { documents: 0, emptyDocuments: 0, tokens: 0, separators: 0, blocks: 0, paddingTokens: 0, droppedTokens: 0 };
  private finished = false;

  /** @param options - block size, separator, mode and remainder handling */
  constructor(private readonly options: PackOptions) {
    const { blockSize, eosId, padId, mode = 'concat', remainder = 'pad' } = options;
    assert(Number.isInteger(blockSize) && blockSize > 0, RangeArgumentError, () => `blockSize (${blockSize}) must be a positive integer`);
    assert(eosId === undefined || Number.isInteger(eosId), RangeArgumentError, () => `eosId (${eosId}) must be an integer`);
    assert(mode === 'concat' || mode === 'pad', RangeArgumentError, () => `mode (${String(mode)}) must be 'concat' or 'pad'`);
    assert(remainder === 'pad' || remainder === 'drop', RangeArgumentError, () => `remainder (${String(remainder)}) must be 'pad' or 'drop'`);
    const needsPad = mode === 'pad' || remainder === 'pad';
    assert(!needsPad || (padId !== undefined && Number.isInteger(padId)), RangeArgumentError,
      () => `padId (${padId}) must be an integer with mode '${mode}' and remainder '${remainder}' (or use remainder: 'drop')`);
    this.blockSize = blockSize;
    this.mode = mode;
    this.remainder = remainder;
    this.buffer = new Int32Array(blockSize);
  }

  /** Adds one document; returns the blocks it completed (in `'pad'` mode, all of its blocks). */
  push(document: ArrayLike<number>): PackedBlock[] {
    assert(!this.finished, RangeArgumentError, () => 'BlockPacker.push after finish');
    const blocks: PackedBlock[] = [];
    this.counts.documents++;
    this.counts.tokens += document.length;
    if (document.length === 0) this.counts.emptyDocuments++;
    const ids = ArrayBuffer.isView(document) && !(document instanceof DataView) ? document as unknown as Int32Array : Int32Array.from(document);
    for (let copied = 0; copied < ids.length;) {
      const count = Math.min(ids.length - copied, this.blockSize - this.filled);
      this.buffer.set(ids.subarray(copied, copied + count), this.filled);
      this.filled += count;
      copied += count;
      if (this.filled === this.blockSize) blocks.push(this.emit(this.blockSize));
    }
    if (this.options.eosId !== undefined) {
      this.counts.separators++;
      this.append(this.options.eosId, blocks);
    }
    if (this.mode === 'pad' && this.filled > 0) blocks.push(this.emit(this.filled));
    return blocks;
  }

  /** Ends the stream; returns the final partial block in `'concat'` mode with `remainder: 'pad'`. */
  finish(): PackedBlock[] {
    if (this.finished) return [];
    this.finished = true;
    if (this.filled === 0) return [];
    if (this.remainder === 'drop') {
      this.counts.droppedTokens += this.filled;
      this.filled = 0;
      return [];
    }
    return [this.emit(this.filled)];
  }

  /** Counts so far (final after {@link BlockPacker.finish}). */
  summary(): PackSummary {
    return { ...this.counts };
  }

  private append(id: number, blocks: PackedBlock[]): void {
    this.buffer[this.filled++] = id;
    if (this.filled === this.blockSize) blocks.push(this.emit(this.blockSize));
  }

  private emit(length: number): PackedBlock {
    const ids = this.buffer;
    if (length < this.blockSize) ids.fill(this.options.padId!, length);
    this.counts.blocks++;
    this.counts.paddingTokens += this.blockSize - length;
    this.buffer = new Int32Array(this.blockSize);
    this.filled = 0;
    return { ids, length };
  }
}
