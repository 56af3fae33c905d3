import { splitWords } from './words.js';

/**
 * The repetition measures of the Gopher quality filters (Rae et al. 2021, "Scaling Language
 * Models", appendix A, https://arxiv.org/abs/2112.11446), computed as datatrove's
 * GopherRepetitionFilter does. Fractions of characters are of `text.length` (UTF-16 code units).
 * @example
 * ```ts
 * repetitionStats('a b\na b').duplicateLineFraction; // 0.5
 * ```
 */
export interface RepetitionStats {
  /** Lines (split on runs of `\n`) that repeat an earlier line, over all lines. */
  readonly duplicateLineFraction: number;
  /** Paragraphs (split on two or more `\n`) that repeat an earlier one, over all paragraphs. */
  readonly duplicateParagraphFraction: number;
  /** Characters in lines that repeat an earlier line, over all characters. */
  readonly duplicateLineCharFraction: number;
  /** Characters in paragraphs that repeat an earlier paragraph, over all characters. */
  readonly duplicateParagraphCharFraction: number;
  /**
   * For n = 2, 3, 4: characters covered by the most frequent word n-gram (the length of its words,
   * times its count), over all characters; 0 when no n-gram occurs twice. Spaces between words are
   * not counted (datatrove counts them) so that CJK text, written without spaces, is measured
   * like other text.
   */
  readonly topNgramCharFraction: Readonly<Record<2 | 3 | 4, number>>;
  /**
   * For n = 5 to 10: characters (of the words, not the spaces) in word n-grams that repeat an
   * earlier n-gram, scanning left to right and jumping past each repeat so none is counted twice,
   * over all characters.
   */
  readonly duplicateNgramCharFraction: Readonly<Record<5 | 6 | 7 | 8 | 9 | 10, number>>;
}

function duplicates(elements: readonly string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0;
  let chars = 0;
  for (const element of elements) {
    if (seen.has(element)) { count++; chars += element.length; } else seen.add(element);
  }
  return { count, chars };
}

function ngrams(words: readonly string[], n: number, separator: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(separator));
  return out;
}

function topNgramChars(words: readonly string[], n: number): number {
  const counts = new Map<string, number>();
  let best = 0;
  for (const gram of ngrams(words, n, ' ')) {
    const count = (counts.get(gram) ?? 0) + 1;
    counts.set(gram, count);
    if (count > 1) best = Math.max(best, (gram.length - (n - 1)) * count); // word characters, not the joining spaces
  }
  return best;
}

function duplicateNgramChars(words: readonly string[], n: number): number {
  const seen = new Set<string>();
  let chars = 0;
  for (let i = 0; i + n <= words.length;) {
    const gram = words.slice(i, i + n).join(' ');
    if (seen.has(gram)) { chars += gram.length - (n - 1); i += n; } else { seen.add(gram); i++; }
  }
  return chars;
}

/**
 * Measures how repetitive a document is, by the Gopher rules ({@link RepetitionStats}). Words are
 * split CJK-aware ({@link splitWords}), so for Chinese the n-grams are character n-grams.
 * @param text - the document
 * @example
 * ```ts
 * declare const doc: string;
 * const stats = repetitionStats(doc);
 * const isRepetitive = stats.topNgramCharFraction[2] > 0.2;
 * ```
 */
export function repetitionStats(text: string): RepetitionStats {
  const total = Math.max(text.length, 1);
  const lines = text.split(/\n+/).filter((l) => l !== '');
  const paragraphs = text.trim().split(/\n{2,}/).filter((p) => p !== '');
  const lineDups = duplicates(lines);
  const paragraphDups = duplicates(paragraphs);
  const words = splitWords(text);
  return {
    duplicateLineFraction: lines.length === 0 ? 0 : lineDups.count / lines.length,
    duplicateParagraphFraction: paragraphs.length === 0 ? 0 : paragraphDups.count / paragraphs.length,
    duplicateLineCharFraction: lineDups.chars / total,
    duplicateParagraphCharFraction: paragraphDups.chars / total,
    topNgramCharFraction: { 2: topNgramChars(words, 2) / total, 3: topNgramChars(words, 3) / total, 4: topNgramChars(words, 4) / total },
    duplicateNgramCharFraction: {
      5: duplicateNgramChars(words, 5) / total, 6: duplicateNgramChars(words, 6) / total, 7: duplicateNgramChars(words, 7) / total,
      8: duplicateNgramChars(words, 8) / total, 9: duplicateNgramChars(words, 9) / total, 10: duplicateNgramChars(words, 10) / total,
    },
  };
}
