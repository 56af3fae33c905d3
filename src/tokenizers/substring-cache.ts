/** FNV-1a hash of the UTF-16 units of `text.slice(start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** One generation of a {@link SubstringCache}: an insert-only open-addressing table. */
class Generation<V> {
  /** Entry index + 1 per slot, 0 for an empty slot. */
  private readonly slots: Int32Array;
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  private readonly hashes: number[] = [];

  constructor(readonly limit: number) {
    let size = 16;
    while (size < 2 * limit) size *= 2;
    this.slots = new Int32Array(size);
  }

  get size(): number {
    return this.keys.length;
  }

  find(text: string, start: number, end: number, hash: number): V | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return undefined;
      if (this.hashes[entry] !== hash) continue;
      const key = this.keys[entry]!;
      if (key.length === end - start && text.startsWith(key, start)) return this.values[entry];
    }
  }

  add(key: string, value: V, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.keys.push(key), this.values.push(value), this.hashes.push(hash);
    this.slots[slot] = this.keys.length;
  }
}

/**
 * A bounded cache keyed by strings that looks keys up as ranges of a larger text, so a hit needs
 * no `slice` and no hashing by the engine (a `Map` lookup of a freshly sliced word costs several
 * times the word's own work). Entries live in two generations of `capacity / 2` (rounded up): when
 * the young one is full it becomes the old one and the previous old one is forgotten; a hit in the
 * old generation is copied to the young one. So at most `capacity` (+1 when odd) entries are held
 * and the entries forgotten are those not used for the longest.
 * @example
 * ```ts
 * const cache = new SubstringCache<number[]>(1000);
 * cache.set('world', [995]);
 * cache.get('Hello world', 6, 11); // [995]
 * ```
 */
export class SubstringCache<V> {
  private young: Generation<V>;
  private old: Generation<V> | null = null;

  /** @param capacity - most entries held (0 holds none) */
  constructor(readonly capacity: number) {
    this.young = new Generation(Math.max(1, Math.ceil(capacity / 2)));
  }

  /** Number of entries held (an entry copied from the old generation counts twice). */
  get size(): number {
    return this.young.size + (this.old?.size ?? 0);
  }

  /** The value stored under `text.slice(start, end)`, or undefined. */
  get(text: string, start = 0, end = text.length): V | undefined {
    if (this.capacity <= 0) return undefined;
    const hash = hashOf(text, start, end);
    const young = this.young.find(text, start, end, hash);
    if (young !== undefined || this.old === null) return young;
    const old = this.old.find(text, start, end, hash);
    if (old !== undefined) this.add(text.slice(start, end), old, hash);
    return old;
  }

  /** Stores `value` under `key` (a key already held keeps its first value until forgotten). */
  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    const hash = hashOf(key, 0, key.length);
    if (this.young.find(key, 0, key.length, hash) === undefined) this.add(key, value, hash);
  }

  private add(key: string, value: V, hash: number): void {
    if (this.young.size >= this.young.limit) {
      this.old = this.young;
      this.young = new Generation(this.old.limit);
    }
    this.young.add(key, value, hash);
  }
}
