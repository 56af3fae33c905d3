/** Where one operand of {@link smallMatMulInto} lies in the heap, and whether it is transposed. */
export interface SmallOperand {
  /** Element index of the operand's first value. */
  readonly start: number;
  /** Stored as `[cols, rows]` of its logical `[rows, cols]` (tfjs's `transposeA`/`transposeB`). */
  readonly transposed: boolean;
}

/**
 * `out = op(a) @ op(b)` for one `[m, k] @ [k, n]` product, in plain JavaScript, reading the
 * operands where they lie (transposed or not) in `heap` and writing `m · n` values at element
 * `outStart`. For products so small (decoding attention: one query row against a few dozen cached
 * keys) that creating and packing an XNNPACK operator, and materialising transposes, costs more
 * than the arithmetic. Each sum accumulates in float64 and is rounded to float32 once.
 *
 * @param heap - holds the operands and the output (for wasm: a view of the whole heap)
 * @param a - the left operand, logical `[m, k]`
 * @param b - the right operand, logical `[k, n]`
 * @param outStart - element index of the `[m, n]` output; must not overlap the operands
 * @example
 * ```ts
 * // [[1, 2]] @ [[3], [4]] = [[11]]
 * const heap = Float32Array.of(1, 2, 3, 4, 0);
 * smallMatMulInto(heap, { start: 0, transposed: false }, { start: 2, transposed: false }, 1, 2, 1, 4);
 * heap[4]; // 11
 * ```
 */
export function smallMatMulInto(
  heap: Float32Array, a: SmallOperand, b: SmallOperand, m: number, k: number, n: number, outStart: number,
): void {
  // Element strides of op(a) along its rows (i) and its inner axis (p).
  const [aRow, aInner] = a.transposed ? [1, m] : [k, 1];
  if (b.transposed) {
    // op(b)[p, j] = b[j, p]: every output is a dot product of two contiguous runs when a is upright.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0, ai = a.start + i * aRow, bi = b.start + j * k; p < k; p++, ai += aInner, bi++) {
          sum += (heap[ai] as number) * (heap[bi] as number);
        }
        heap[outStart + i * n + j] = sum;
      }
    }
    return;
  }
  // Upright b: each output row accumulates rows of b scaled by a[i, p], reading b row by row.
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0, ai = a.start + i * aRow; p < k; p++, ai += aInner) {
      const scale = heap[ai] as number;
      for (let j = 0, bi = b.start + p * n; j < n; j++, bi++) row[j] = (row[j] as number) + scale * (heap[bi] as number);
    }
    heap.set(row, outStart + i * n);
  }
}
