import { shingleHashes, type ShingleUnit } from '../../../src/data/dedup/shingles.js';
import { Rng } from '../../../src/utils/rng.js';

/** Exact Jaccard similarity of two documents' shingle sets (test reference). */
export function exactJaccard(a: string, b: string, size: number, unit: ShingleUnit): number {
  const sa = new Set(shingleHashes(a, size, unit));
  const sb = shingleHashes(b, size, unit);
  let common = 0;
  for (const h of sb) if (sa.has(h)) common++;
  return common / (sa.size + sb.length - common);
}

/**
 * An edited copy of a document (test helper): each word is replaced by a random word of the
 * document with probability `rate`, and deleted with probability `rate / 2`.
 */
export function editWords(text: string, rate: number, rng: Rng): string {
  const words = text.split(' ');
  const out: string[] = [];
  for (const word of words) {
    const u = rng.nextFloat();
    if (u < rate) out.push(words[rng.nextInt(words.length)]!);
    else if (u < rate * 1.5) continue;
    else out.push(word);
  }
  return out.join(' ');
}
