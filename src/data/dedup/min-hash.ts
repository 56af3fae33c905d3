import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';

/** Murmur3's 32-bit finaliser: a bijection on 32-bit words with full avalanche. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * MinHash signatures (Broder 1997): for each of `numPermutations` seeded hash permutations of the
 * 32-bit shingle space, the smallest permuted shingle. The fraction of positions where two
 * signatures agree estimates the Jaccard similarity of the shingle sets, with standard error
 * sqrt(J(1 - J) / numPermutations). Permutation i is `x -> fmix32((x ^ a_i) * m_i)` (a_i random,
 * m_i random odd: both bijections), drawn from `seed`.
 * @example
 * ```ts
 * declare const shinglesA: Uint32Array, shinglesB: Uint32Array;
 * const hasher = new MinHasher(128, 42);
 * const similarity = MinHasher.similarity(hasher.signature(shinglesA), hasher.signature(shinglesB));
 * ```
 */
export class MinHasher {
  private readonly xors: Uint32Array;
  private readonly multipliers: Uint32Array;

  /**
   * @param numPermutations - signature length
   * @param seed - draws the permutations; equal seeds give equal signatures
   */
  constructor(readonly numPermutations: number, seed: number) {
    assert(Number.isInteger(numPermutations) && numPermutations > 0, RangeArgumentError,
      () => `numPermutations (${numPermutations}) must be a positive integer`);
    const rng = new Rng(seed);
    this.xors = Uint32Array.from({ length: numPermutations }, () => rng.nextUint32());
    this.multipliers = Uint32Array.from({ length: numPermutations }, () => (rng.nextUint32() | 1) >>> 0);
  }

  /**
   * The signature of a set of shingle hashes (all 0xFFFFFFFF for an empty set).
   * @param shingles - distinct 32-bit shingle hashes
   */
  signature(shingles: Uint32Array): Uint32Array {
    const k = this.numPermutations;
    const signature = new Uint32Array(k);
    const n = shingles.length;
    for (let i = 0; i < k; i++) { // permutation-major: the running minimum stays in a register
      const xor = this.xors[i]!;
      const multiplier = this.multipliers[i]!;
      let min = 0xffffffff;
      for (let s = 0; s < n; s++) {
        const h = fmix32(Math.imul(shingles[s]! ^ xor, multiplier));
        if (h < min) min = h;
      }
      signature[i] = min;
    }
    return signature;
  }

  /**
   * The estimated Jaccard similarity: the fraction of positions where two signatures agree.
   * @param a - a signature
   * @param b - a signature of the same length
   */
  static similarity(a: Uint32Array, b: Uint32Array): number {
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    return same / a.length;
  }
}
