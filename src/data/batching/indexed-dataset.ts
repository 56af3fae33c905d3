import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';

/**
 * Examples addressable by index: an array, or anything with `length` and `get` (blocks of a token
 * cache, rows of a file read lazily).
 * @example
 * ```ts
 * const dataset: IndexedDataset<number[]> = [[1, 2], [3, 4, 5]];
 * ```
 */
export type IndexedDataset<T> = readonly T[] | {
  /** Number of examples. */
  readonly length: number;
  /** Example `index`, in `[0, length)`. */
  get(index: number): T;
};

/**
 * Windows of a token stream from {@link tokenBlocks}.
 * @example
 * ```ts
 * declare const cache: TokenCache;
 * const blocks: TokenBlocks<Uint16Array> = tokenBlocks(cache.tokens as Uint16Array, { blockSize: 129, stride: 128 });
 * ```
 */
export interface TokenBlocks<A> {
  /** Number of windows. */
  readonly length: number;
  /** Tokens after the last whole window. */
  readonly remainder: number;
  /** Window `index` (a view of the stream). */
  get(index: number): A;
}

/**
 * Example `index` of a dataset.
 * @example
 * ```ts
 * datasetItem([[1, 2], [3]], 1); // [3]
 * ```
 */
export function datasetItem<T>(dataset: IndexedDataset<T>, index: number): T {
  return 'get' in dataset ? dataset.get(index) : dataset[index] as T;
}

/**
 * Options of {@link tokenBlocks}.
 * @example
 * ```ts
 * const options: TokenBlocksOptions = { blockSize: 129, stride: 128 };
 * ```
 */
export interface TokenBlocksOptions {
  /** Tokens per window. */
  readonly blockSize: number;
  /** Tokens between window starts; default `blockSize` (disjoint windows). */
  readonly stride?: number;
}

/**
 * Fixed-length windows of a token stream (e.g. a token cache's `tokens`) as a dataset, without
 * copying. With `blockSize = seqLength + 1` and `stride = seqLength`, consecutive windows share one
 * token, so every next-token pair of the stream is trained on exactly once; `stride = blockSize`
 * gives disjoint blocks. Tokens after the last whole window (fewer than `blockSize`) are counted in
 * `remainder`.
 * @param tokens - the token stream
 * @throws RangeArgumentError on a bad size or stride
 * @example
 * ```ts
 * declare const cache: TokenCache;
 * const blocks = tokenBlocks(cache.tokens, { blockSize: 129, stride: 128 });
 * blocks.get(0); // tokens[0..129)
 * ```
 */
export function tokenBlocks<A extends Uint16Array | Uint32Array | Int32Array>(tokens: A, options: TokenBlocksOptions): TokenBlocks<A> {
  const { blockSize, stride = blockSize } = options;
  assert(Number.isInteger(blockSize) && blockSize > 0, RangeArgumentError, () => `blockSize (${blockSize}) must be a positive integer`);
  assert(Number.isInteger(stride) && stride > 0 && stride <= blockSize, RangeArgumentError,
    () => `stride (${stride}) must be an integer in [1, blockSize (${blockSize})]`);
  const length = tokens.length < blockSize ? 0 : Math.floor((tokens.length - blockSize) / stride) + 1;
  const covered = length === 0 ? 0 : (length - 1) * stride + blockSize;
  return {
    length,
    remainder: tokens.length - covered,
    get(index: number): A {
      assert(Number.isInteger(index) && index >= 0 && index < length, RangeArgumentError, () => `block index ${index} is outside [0, ${length})`);
      return tokens.subarray(index * stride, index * stride + blockSize) as A;
    },
  };
}
