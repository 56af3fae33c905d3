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

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
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
  const separator = unit === 'word' ? ' ' : '';
  const hashes = new Set<number>();
  if (units.length <= size) hashes.add(fnv1a32(units.join(separator)));
  for (let i = 0; i + size <= units.length; i++) hashes.add(fnv1a32(units.slice(i, i + size).join(separator)));
  return Uint32Array.from(hashes);
}
