/**
 * A binary heap: `pop` returns the entry that comes first under `before` (a min-heap for
 * `(a, b) => a < b`). Shared by BPE encoding (merge ranks) and BPE training (pair counts).
 * @example
 * ```ts
 * const heap = new BinaryHeap<number>((a, b) => a < b);
 * heap.push(3); heap.push(1);
 * heap.pop(); // 1
 * ```
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  /** @param before - whether `a` must come out before `b` */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an entry. */
  push(entry: T): void {
    const items = this.items;
    let i = items.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(entry, items[parent] as T)) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = entry;
  }

  /** Removes and returns the first entry (the heap must not be empty). */
  pop(): T {
    const items = this.items;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const c = l + 1 < items.length && this.before(items[l + 1] as T, items[l] as T) ? l + 1 : l;
        if (!this.before(items[c] as T, last)) break;
        items[i] = items[c] as T;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }
}
