/** Prompt rows of equal length, as {@link leftPad} makes them. */
export interface PaddedPrompt {
  /** `[B][T]` token ids, shorter rows padded on the left. */
  readonly ids: number[][];
  /** `[B][T]` 1 for real tokens, 0 for padding; null when no row needed padding. */
  readonly mask: number[][] | null;
}

/**
 * Left-pads prompt rows to the longest one, as decoder-only batched generation needs (every row's
 * next token then sits in the last column).
 *
 * @param rows - token ids per row, lengths >= 1
 * @param padId - the id to pad with (hidden by the mask, so any valid id will do)
 * @returns the padded ids and, when any padding was added, the attention mask
 * @example
 * ```ts
 * leftPad([[5, 6, 7], [8]], 0); // { ids: [[5, 6, 7], [0, 0, 8]], mask: [[1, 1, 1], [0, 0, 1]] }
 * ```
 */
export function leftPad(rows: readonly (readonly number[])[], padId: number): PaddedPrompt {
  const width = Math.max(...rows.map((row) => row.length));
  const ids = rows.map((row) => [...Array<number>(width - row.length).fill(padId), ...row]);
  if (rows.every((row) => row.length === width)) return { ids, mask: null };
  const mask = rows.map((row) => [...Array<number>(width - row.length).fill(0), ...Array<number>(row.length).fill(1)]);
  return { ids, mask };
}
