/** Compares strings by code point (as Rust compares `[char]`), not by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/**
 * The seed vocabulary of Unigram training, as Hugging Face's `UnigramTrainer` (after SentencePiece)
 * builds it: every character, scored by its occurrences weighted by word count, then the frequent
 * substrings of 2 to `maxPieceLength` code points, scored by occurrences times length, highest first,
 * up to `seedSize` pieces; scores become log probabilities over all seeds.
 *
 * Hugging Face takes the substrings from the suffix array of the distinct words joined by `\0`:
 * the internal nodes of the suffix tree, i.e. the substrings followed by at least two different
 * characters (the `\0` after a word counts as one), each counted once per occurrence in a distinct
 * word. Since only substrings of at most `maxPieceLength` code points are kept, this function
 * enumerates those directly (at most `maxPieceLength` per position) instead of building the suffix
 * array: the same set with the same counts, hence the same seeds, ties broken the same way (score,
 * then the string by code point, both descending).
 * @param wordCounts - word to occurrences
 * @param maxPieceLength - longest piece in code points (Hugging Face's default 16)
 * @param seedSize - most seeds kept, characters included (Hugging Face's default 1,000,000)
 * @example
 * ```ts
 * seedUnigramPieces(new Map([['This is a', 1], ['こんにちは友達', 1]]), 16, 1e6).map(([p]) => p);
 * // ['s', 'i', ' ', '達', '友', 'ん', 'は', 'に', 'ち', 'こ', 'h', 'a', 'T', 'is ', 's ']
 * ```
 */
export function seedUnigramPieces(wordCounts: ReadonlyMap<string, number>, maxPieceLength: number, seedSize: number): [string, number][] {
  const chars = new Map<string, number>();
  /** Per substring: occurrences, and the code point that follows it or -1 once two different ones were seen (a suffix tree node). */
  const substrings = new Map<string, { occurrences: number; next: number }>();
  for (const [word, count] of wordCounts) {
    const cps = [...word];
    for (const c of cps) chars.set(c, (chars.get(c) ?? 0) + count);
    for (let begin = 0; begin < cps.length; begin++) {
      let piece = cps[begin]!;
      for (let end = begin + 1; end < cps.length && end - begin < maxPieceLength; ) {
        piece += cps[end++]!;
        const following = end < cps.length ? cps[end]!.codePointAt(0)! : 0;
        const seen = substrings.get(piece);
        if (seen === undefined) substrings.set(piece, { occurrences: 1, next: following });
        else {
          seen.occurrences++;
          if (seen.next !== following) seen.next = -1;
        }
      }
    }
  }
  const seeds: [string, number][] = [...chars]
    .sort((a, b) => b[1] - a[1] || compareCodePoints(b[0], a[0]));
  const frequent: [string, number][] = [];
  for (const [piece, { occurrences, next }] of substrings) {
    if (next === -1) frequent.push([piece, occurrences * [...piece].length]);
  }
  frequent.sort((a, b) => b[1] - a[1] || compareCodePoints(b[0], a[0]));
  for (const seed of frequent) {
    seeds.push(seed);
    if (seeds.length >= seedSize) break;
  }
  let sum = 0;
  for (const [, score] of seeds) sum += score;
  const logSum = Math.log(sum);
  return seeds.map(([piece, score]) => [piece, Math.log(score) - logSum]);
}
