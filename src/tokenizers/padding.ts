import { padEncoding, type Encoding, type Side } from './encoding.js';

/**
 * Padding applied by {@link Tokenizer.encode} and {@link Tokenizer.encodeBatch}.
 * @example
 * ```ts
 * const p: PaddingOptions = { length: 'longest', direction: 'left', padId: 1, padToken: '<pad>' };
 * ```
 */
export interface PaddingOptions {
  /** Pad to the longest encoding of the batch, or to a fixed length (default `'longest'`). */
  readonly length?: 'longest' | number;
  /** Side that receives padding (default `'right'`). */
  readonly direction?: Side;
  /** Round the padded length up to a multiple of this (default none). */
  readonly padToMultipleOf?: number | null;
  /** Id of the padding token (default 0). */
  readonly padId?: number;
  /** Type id of padding (default 0). */
  readonly padTypeId?: number;
  /** String of the padding token (default `'[PAD]'`). */
  readonly padToken?: string;
}

/**
 * Pads every encoding of a batch as `options` say: to the longest of the batch or a fixed length,
 * rounded up to `padToMultipleOf`, on `direction`'s side.
 * @param encodings - the batch (one encoding for a single `encode`)
 * @param options - the tokenizer's padding settings
 * @returns new encodings; the inputs are not changed
 * @example
 * ```ts
 * declare const a: Encoding, b: Encoding;
 * const [pa, pb] = padBatch([a, b], { length: 'longest', padId: 0, padToken: '[PAD]' });
 * ```
 */
export function padBatch(encodings: readonly Encoding[], options: PaddingOptions): Encoding[] {
  let length = typeof options.length === 'number' ? options.length : Math.max(0, ...encodings.map((e) => e.ids.length));
  const multiple = options.padToMultipleOf ?? 0;
  if (multiple > 0 && length % multiple > 0) length += multiple - (length % multiple);
  const pad = { id: options.padId ?? 0, token: options.padToken ?? '[PAD]', typeId: options.padTypeId ?? 0 };
  return encodings.map((e) => padEncoding(e, length, options.direction ?? 'right', pad));
}
