/**
 * Length of the longest common subsequence of two token sequences, in O(|a|·|b|) time and
 * O(|b|) memory.
 *
 * @param a - first sequence
 * @param b - second sequence
 * @returns the LCS length
 * @example
 * ```ts
 * lcsLength(['1', '2', '3', '4', '5'], ['2', '5', '3', '4']); // 3
 * ```
 */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1]
        ? (previous[j - 1] as number) + 1
        : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * Indices into `ref` of one longest common subsequence of `ref` and `can`, in increasing order.
 * Ties are broken as rouge-score's `_backtrack_norec` breaks them (walking back from the end,
 * step left in `can` only when that keeps a strictly longer LCS), so summary-level ROUGE-L picks
 * the same subsequence.
 *
 * @param ref - reference sentence tokens
 * @param can - candidate sentence tokens
 * @returns increasing indices into `ref`
 * @example
 * ```ts
 * lcsIndices(['1', '2', '3', '4', '5'], ['2', '5', '3', '4']); // [1, 2, 3]
 * ```
 */
export function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const cols = can.length + 1;
  const table = new Uint32Array((ref.length + 1) * cols); // table[i * cols + j]: LCS of ref[:i], can[:j]
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      table[i * cols + j] = ref[i - 1] === can[j - 1]
        ? (table[(i - 1) * cols + j - 1] as number) + 1
        : Math.max(table[(i - 1) * cols + j] as number, table[i * cols + j - 1] as number);
    }
  }
  const indices: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if ((table[i * cols + j - 1] as number) > (table[(i - 1) * cols + j] as number)) {
      j--;
    } else {
      i--;
    }
  }
  return indices.reverse();
}

/**
 * The union LCS of a reference sentence with every candidate sentence (Lin 2004, section 3.2):
 * the reference tokens that lie on the LCS with at least one candidate, in reference order.
 *
 * Lin, C.-Y. (2004). ROUGE: A Package for Automatic Evaluation of Summaries.
 * https://aclanthology.org/W04-1013/
 *
 * @param ref - reference sentence tokens
 * @param candidates - candidate sentences, each a token list
 * @returns tokens of `ref` on the union of the LCSs
 * @example
 * ```ts
 * // the paper's example: LCS with c1 is w1 w2, with c2 is w1 w3 w5
 * unionLcs(['w1', 'w2', 'w3', 'w4', 'w5'],
 *   [['w1', 'w2', 'w6', 'w7', 'w8'], ['w1', 'w3', 'w8', 'w9', 'w5']]); // ['w1', 'w2', 'w3', 'w5']
 * ```
 */
export function unionLcs(ref: readonly string[], candidates: readonly (readonly string[])[]): string[] {
  const union = new Set<number>();
  for (const can of candidates) for (const index of lcsIndices(ref, can)) union.add(index);
  return [...union].sort((x, y) => x - y).map((index) => ref[index] as string);
}
