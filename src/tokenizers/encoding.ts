/**
 * The result of encoding one text (or pair of texts), as Hugging Face's `Encoding`: parallel arrays
 * with one entry per token. (https://huggingface.co/docs/tokenizers/api/encoding)
 * @example
 * ```ts
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

/**
 * Joins encodings end to end.
 * @example
 * ```ts
 * concatEncodings([a, b]).ids; // [...a.ids, ...b.ids]
 * ```
 */
export function concatEncodings(parts: readonly Encoding[]): Encoding {
  const out = emptyEncoding();
  for (const part of parts) {
    for (const key of Object.keys(out) as (keyof Encoding)[]) (out[key] as unknown[]).push(...part[key]);
  }
  return out;
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
 * truncateEncoding(e, 2, 'right').ids.length; // 2
 * ```
 */
export function truncateEncoding(encoding: Encoding, maxLength: number, side: Side): Encoding {
  const n = encoding.ids.length;
  if (n <= maxLength) return encoding;
  const [from, to] = side === 'right' ? [0, maxLength] : [n - maxLength, n];
  const out = emptyEncoding();
  for (const key of Object.keys(out) as (keyof Encoding)[]) (out[key] as unknown[]).push(...encoding[key].slice(from, to));
  return out;
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
 * padEncoding(e, 8, 'right', { id: 0, token: '[PAD]', typeId: 0 }).attentionMask;
 * ```
 */
export function padEncoding(encoding: Encoding, length: number, side: Side, pad: PadToken): Encoding {
  const count = length - encoding.ids.length;
  if (count <= 0) return encoding;
  const padding: Encoding = {
    ...specialEncoding(new Array<number>(count).fill(pad.id), new Array<string>(count).fill(pad.token), pad.typeId),
    attentionMask: new Array<number>(count).fill(0),
  };
  return concatEncodings(side === 'right' ? [encoding, padding] : [padding, encoding]);
}
