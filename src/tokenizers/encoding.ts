import { RangeArgumentError } from '../utils/errors.js';

/**
 * The result of encoding one text (or pair of texts), as Hugging Face's `Encoding`: parallel arrays
 * with one entry per token. (https://huggingface.co/docs/tokenizers/api/encoding)
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer; // GPT-2's
 * const e: Encoding = tokenizer.encode('Hello');
 * e.ids; e.tokens; e.offsets; // [15496], ['Hello'], [[0, 5]]
 * ```
 */
export interface Encoding {
  /** Token ids. */
  readonly ids: number[];
  /** Token strings. */
  readonly tokens: string[];
  /** `[start, end)` of each token in its input text, in UTF-16 units (`text.slice(start, end)`). */
  readonly offsets: [number, number][];
  /** Segment of each token: 0 for the first sequence, 1 for the second (per the post-processor). */
  readonly typeIds: number[];
  /** 1 for real tokens, 0 for padding. */
  readonly attentionMask: number[];
  /** 1 for special tokens added by the post-processor or padding, 0 otherwise. */
  readonly specialTokensMask: number[];
  /** Index of the pre-tokenized word each token belongs to, or null for added special tokens. */
  readonly wordIds: (number | null)[];
  /** Which input (0 or 1) each token came from, or null for added special tokens and padding. */
  readonly sequenceIds: (number | null)[];
  /**
   * The windows truncation cut off, in Hugging Face's order, each overlapping the one before by
   * `stride` tokens and post-processed and padded like this one; absent when nothing overflowed.
   * For a pair, windows of one input are combined with each window of the other (and, as in
   * Hugging Face, such a combination carries its own nested `overflowing`).
   */
  readonly overflowing?: Encoding[];
}

/**
 * Which side loses tokens when truncating, or receives padding.
 * @example
 * ```ts
 * const side: Side = 'left';
 * ```
 */
export type Side = 'left' | 'right';

/**
 * An encoding with no tokens.
 * @example
 * ```ts
 * emptyEncoding().ids; // []
 * ```
 */
export function emptyEncoding(): Encoding {
  return { ids: [], tokens: [], offsets: [], typeIds: [], attentionMask: [], specialTokensMask: [], wordIds: [], sequenceIds: [] };
}

/** Appends `items` to `target` one by one (`push(...items)` overflows the stack past ~100k items). */
function appendAll(target: unknown[], items: readonly unknown[]): void {
  for (const item of items) target.push(item);
}

/**
 * Joins encodings end to end.
 * @example
 * ```ts
 * declare const a: Encoding, b: Encoding;
 * concatEncodings([a, b]).ids; // [...a.ids, ...b.ids]
 * ```
 */
export function concatEncodings(parts: readonly Encoding[]): Encoding {
  const join = <T>(arrays: readonly (readonly T[])[]): T[] => ([] as T[]).concat(...arrays);
  return {
    ids: join(parts.map((p) => p.ids)),
    tokens: join(parts.map((p) => p.tokens)),
    offsets: join(parts.map((p) => p.offsets)),
    typeIds: join(parts.map((p) => p.typeIds)),
    attentionMask: join(parts.map((p) => p.attentionMask)),
    specialTokensMask: join(parts.map((p) => p.specialTokensMask)),
    wordIds: join(parts.map((p) => p.wordIds)),
    sequenceIds: join(parts.map((p) => p.sequenceIds)),
  };
}

/**
 * An encoding of special tokens (`specialTokensMask` 1, offsets `[0, 0]`, no word or sequence).
 * @param ids - the tokens' ids
 * @param tokens - the tokens' strings
 * @param typeId - the type id given to every token
 * @example
 * ```ts
 * specialEncoding([0], ['<s>'], 0).specialTokensMask; // [1]
 * ```
 */
export function specialEncoding(ids: readonly number[], tokens: readonly string[], typeId: number): Encoding {
  return {
    ids: [...ids],
    tokens: [...tokens],
    offsets: ids.map(() => [0, 0]),
    typeIds: ids.map(() => typeId),
    attentionMask: ids.map(() => 1),
    specialTokensMask: ids.map(() => 1),
    wordIds: ids.map(() => null),
    sequenceIds: ids.map(() => null),
  };
}

/**
 * A copy of `encoding` with every type id set to `typeId`.
 * @example
 * ```ts
 * declare const e: Encoding;
 * withTypeId(e, 1).typeIds; // [1, 1, ...]
 * ```
 */
export function withTypeId(encoding: Encoding, typeId: number): Encoding {
  return { ...encoding, typeIds: encoding.ids.map(() => typeId) };
}

/**
 * Keeps at most `maxLength` tokens, dropping the rest from the `side` given (overflowing tokens
 * are discarded).
 * @example
 * ```ts
 * declare const e: Encoding; // of 2 tokens or more
 * truncateEncoding(e, 2, 'right').ids.length; // 2
 * ```
 */
export function truncateEncoding(encoding: Encoding, maxLength: number, side: Side): Encoding {
  const n = encoding.ids.length;
  if (n <= maxLength) return encoding;
  const [from, to] = side === 'right' ? [0, maxLength] : [n - maxLength, n];
  const out = emptyEncoding();
  for (const key of Object.keys(out) as (keyof Encoding)[]) appendAll(out[key] as unknown[], encoding[key]!.slice(from, to));
  return out;
}

/**
 * Cuts an encoding into windows of at most `maxLength` tokens, each starting `maxLength - stride`
 * tokens after the previous one (from the end with `side` `'left'`), as Hugging Face's
 * `Encoding::truncate`: the first window is returned, the others become its `overflowing`. With
 * `maxLength` 0 the result is empty and overflows the whole encoding.
 * @throws RangeArgumentError when `stride` is not below `maxLength`
 * @example
 * ```ts
 * declare const encoding: Encoding;
 * const e = truncateWithOverflow(encoding, 4, 1, 'right'); // 10 tokens: windows 0-4, 3-7, 6-10
 * e.ids.length; e.overflowing!.length; // 4, 2
 * ```
 */
export function truncateWithOverflow(encoding: Encoding, maxLength: number, stride: number, side: Side): Encoding {
  const n = encoding.ids.length;
  if (maxLength >= n) return encoding;
  if (maxLength === 0) return { ...emptyEncoding(), overflowing: [encoding] };
  if (stride >= maxLength) {
    throw new RangeArgumentError(`truncation stride (${stride}) must be below the length left for the sequence (${maxLength}; special tokens are subtracted from maxLength)`);
  }
  const step = maxLength - stride;
  const windows: [number, number][] = [];
  if (side === 'right') {
    for (let start = 0; start < n; start += step) {
      const stop = Math.min(start + maxLength, n);
      windows.push([start, stop]);
      if (stop === n) break;
    }
  } else {
    for (let stop = n; stop > 0; stop -= step) {
      const start = Math.max(0, stop - maxLength);
      windows.push([start, stop]);
      if (start === 0) break;
    }
  }
  const slice = ([from, to]: [number, number]): Encoding => {
    const out = emptyEncoding();
    for (const key of Object.keys(out) as (keyof Encoding)[]) appendAll(out[key] as unknown[], encoding[key]!.slice(from, to));
    return out;
  };
  return { ...slice(windows[0]!), overflowing: windows.slice(1).map(slice) };
}

/**
 * Truncation applied by `Tokenizer.encode`, as Hugging Face's `TruncationParams`.
 * @example
 * ```ts
 * const t: TruncationOptions = { maxLength: 512, strategy: 'longest_first', direction: 'right' };
 * ```
 */
export interface TruncationOptions {
  /** Most tokens in an encoding, special tokens included. */
  readonly maxLength: number;
  /** Which input loses tokens first (default `'longest_first'`). */
  readonly strategy?: 'longest_first' | 'only_first' | 'only_second';
  /** Which end loses tokens (default `'right'`). */
  readonly direction?: Side;
  /** Tokens each overflowing window repeats from the one before (default 0); see {@link truncateWithOverflow}. */
  readonly stride?: number;
}

/**
 * What padding inserts.
 * @example
 * ```ts
 * const pad: PadToken = { id: 1, token: '<pad>', typeId: 0 };
 * ```
 */
export interface PadToken {
  /** Id of the padding token. */
  readonly id: number;
  /** String of the padding token. */
  readonly token: string;
  /** Type id given to padding. */
  readonly typeId: number;
}

/**
 * Pads `encoding` to `length` tokens on `side` (attention mask 0, special tokens mask 1).
 * Longer encodings are returned unchanged.
 * @example
 * ```ts
 * declare const e: Encoding; // of 6 tokens
 * padEncoding(e, 8, 'right', { id: 0, token: '[PAD]', typeId: 0 }).attentionMask; // [1, 1, 1, 1, 1, 1, 0, 0]
 * ```
 */
export function padEncoding(encoding: Encoding, length: number, side: Side, pad: PadToken): Encoding {
  if (encoding.overflowing !== undefined) {
    // As Hugging Face: the overflowing windows are padded too, even when this one is long enough.
    const overflowing = encoding.overflowing.map((o) => padEncoding(o, length, side, pad));
    return { ...padEncoding({ ...encoding, overflowing: undefined }, length, side, pad), overflowing };
  }
  const count = length - encoding.ids.length;
  if (count <= 0) return encoding;
  const padding: Encoding = {
    ...specialEncoding(new Array<number>(count).fill(pad.id), new Array<string>(count).fill(pad.token), pad.typeId),
    attentionMask: new Array<number>(count).fill(0),
  };
  return concatEncodings(side === 'right' ? [encoding, padding] : [padding, encoding]);
}

/**
 * Truncates one encoding, or a pair together, to `maxLength` tokens as Hugging Face's
 * `truncate_encodings` does (`longest_first` shortens the longer input first, then both evenly).
 * @throws RangeArgumentError when `only_first`/`only_second` cannot remove enough tokens, or
 *   `only_second` gets no pair
 * @example
 * ```ts
 * declare const a: Encoding, b: Encoding;
 * truncatePair(a, b, { maxLength: 8 }); // a and b keep 8 tokens between them
 * ```
 */
export function truncatePair(first: Encoding, second: Encoding | null, options: TruncationOptions): [Encoding, Encoding | null] {
  const { maxLength, strategy = 'longest_first', direction = 'right', stride = 0 } = options;
  const cut = (e: Encoding, length: number): Encoding => truncateWithOverflow(e, length, stride, direction);
  const n1 = first.ids.length;
  const n2 = second?.ids.length ?? 0;
  if (maxLength === 0) return [cut(first, 0), second && cut(second, 0)];
  if (n1 + n2 <= maxLength) return [first, second];
  const remove = n1 + n2 - maxLength;
  if (strategy === 'longest_first') {
    if (second === null) return [cut(first, maxLength), null];
    const short = Math.min(n1, n2);
    let [keepShort, keepLong] = [short, short > maxLength ? short : Math.max(short, maxLength - short)];
    if (keepShort + keepLong > maxLength) [keepShort, keepLong] = [Math.floor(maxLength / 2), Math.floor(maxLength / 2) + (maxLength % 2)];
    const [k1, k2] = n1 > n2 ? [keepLong, keepShort] : [keepShort, keepLong];
    return [cut(first, k1), cut(second, k2)];
  }
  const target = strategy === 'only_first' ? first : second;
  if (target === null) throw new RangeArgumentError(`truncation strategy 'only_second' needs a pair input`);
  if (target.ids.length <= remove) {
    throw new RangeArgumentError(`truncation '${strategy}' cannot remove ${remove} tokens from a sequence of ${target.ids.length} (maxLength ${maxLength})`);
  }
  const kept = cut(target, target.ids.length - remove);
  return strategy === 'only_first' ? [kept, second] : [first, kept];
}
