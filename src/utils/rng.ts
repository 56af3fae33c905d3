import { RangeArgumentError } from './errors.js';
import { assert } from './assert.js';

/** Serialisable state of an {@link Rng}: four unsigned 32-bit words. */
export interface RngState {
  /** The xoshiro128** state words. */
  readonly words: readonly [number, number, number, number];
}

/** Expands a 32-bit seed into a well-mixed word (SplitMix32 finaliser). */
function splitMix32(x: number): number {
  x = (x + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Seeded pseudo-random generator (xoshiro128**, https://prng.di.unimi.it/) whose whole state can be
 * saved and restored, so a resumed training run draws exactly the numbers it would have drawn.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const a = rng.nextFloat();
 * const saved = rng.getState();
 * const b = rng.nextFloat();
 * rng.setState(saved);
 * rng.nextFloat() === b; // true
 * ```
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed - any integer; equal seeds give equal streams */
  constructor(seed: number) {
    assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
    let x = seed >>> 0;
    this.s0 = x = splitMix32(x);
    this.s1 = x = splitMix32(x);
    this.s2 = x = splitMix32(x);
    this.s3 = splitMix32(x);
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0;
    return result;
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    assert(Number.isInteger(n) && n > 0, RangeArgumentError, () => `n (${n}) must be a positive integer`);
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal sample (Box-Muller). */
  nextNormal(): number {
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A fresh seed for a tfjs random op (`tf.randomNormal(..., seed)`), drawn from this stream.
   * Never 0: tfjs treats a falsy seed as "no seed" and falls back to `Math.random`.
   */
  nextSeed(): number {
    return 1 + (this.nextUint32() % 2147483646);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** Snapshot of the generator state, JSON-serialisable. */
  getState(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3] };
  }

  /** Restores a snapshot taken by {@link Rng.getState}. */
  setState(state: RngState): void {
    const w = state.words;
    assert(Array.isArray(w) && w.length === 4 && w.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32),
      RangeArgumentError, () => `RngState.words (${JSON.stringify(w)}) must be four uint32 values`);
    assert(w.some((x) => x !== 0), RangeArgumentError, () => 'RngState.words must not be all zero');
    [this.s0, this.s1, this.s2, this.s3] = w;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
