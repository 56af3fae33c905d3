import { assert } from '../../utils/assert.js';
import { RangeArgumentError, ConfigError } from '../../utils/errors.js';
import { splitWords } from '../clean/words.js';

/**
 * What a shingle is made of: `'word'` (CJK-aware words from {@link splitWords}, so Chinese and
 * Japanese get character n-grams) or `'char'` (characters, whitespace runs as one space).
 * @example
 * ```ts
 * const unit: ShingleUnit = 'char';
 * ```
 */
export type ShingleUnit = 'word' | 'char';

/** 32-bit FNV-1a hash of a string's UTF-16 code units; shingles mix the hashes of their units. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The distinct 32-bit hashes of a document's shingles: its overlapping n-grams of `size` units.
 * Text is lowercased first; word units lose their punctuation (`Hello,` is `hello`). A document
 * shorter than one shingle gives the hash of all its units as a single shingle.
 * @param text - the document
 * @param size - units per shingle
 * @param unit - words or characters
 * @example
 * ```ts
 * shingleHashes('the quick brown fox jumps', 3, 'word').length; // 3
 * ```
 */
export function shingleHashes(text: string, size: number, unit: ShingleUnit): Uint32Array {
  assert(Number.isInteger(size) && size > 0, RangeArgumentError, () => `shingleSize (${size}) must be a positive integer`);
  assert(unit === 'word' || unit === 'char', ConfigError, () => `shingle unit (${String(unit)}) must be 'word' or 'char'`);
  const lower = text.toLowerCase();
  const units = unit === 'word'
    ? splitWords(lower).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter((w) => w !== '')
    : [...lower.replace(/\s+/g, ' ').trim()];
  const unitHashes = Uint32Array.from(units, fnv1a32);
  const hashes = new Set<number>();
  const combine = (from: number, to: number): number => { // order-sensitive mix of the unit hashes
    let hash = 0x9e3779b9;
    for (let i = from; i < to; i++) hash = Math.imul((hash ^ unitHashes[i]!) >>> 0, 0x01000193) ^ (hash >>> 13);
    return hash >>> 0;
  };
  if (units.length <= size) hashes.add(combine(0, units.length));
  for (let i = 0; i + size <= units.length; i++) hashes.add(combine(i, i + size));
  return Uint32Array.from(hashes);
}
