import { BinaryHeap } from '../binary-heap.js';

/**
 * A candidate merge in a {@link PairQueue}: a pair of symbol ids (as one key), its count when
 * queued, and the words where it occurred then.
 * @example
 * ```ts
 * const queue = new PairQueue(10); // ids up to 10
 * const entry: PairEntry = { count: 12, key: queue.key(3, 7), where: [0, 5, 9] };
 * ```
 */
export interface PairEntry {
  /** Occurrences of the pair (weighted by word counts) when queued; may be stale. */
  readonly count: number;
  /** The pair, as {@link PairQueue.key} encodes it. */
  readonly key: number;
  /** Indices of the words the pair occurred in. */
  readonly where: readonly number[];
}

/**
 * Max-priority queue of BPE pairs for training (Sennrich et al. 2016,
 * https://arxiv.org/abs/1508.07909), ordered as Hugging Face's `BpeTrainer` orders merges: higher
 * count first, then the smaller pair (left id, then right id). Pairs are encoded as one number
 * `left * base + right`, with `base` the power of two above the largest id, so keys stay small
 * integers and compare in pair order.
 * @example
 * ```ts
 * const queue = new PairQueue(1000);
 * queue.push({ count: 5, key: queue.key(1, 2), where: [0] });
 * queue.pairOf(queue.pop().key); // [1, 2]
 * ```
 */
export class PairQueue {
  private readonly base: number;
  private readonly heap = new BinaryHeap<PairEntry>(before);

  /** @param maxId - an upper bound on the symbol ids that will be queued */
  constructor(maxId: number) {
    this.base = 2 ** Math.ceil(Math.log2(Math.max(2, maxId + 1)));
  }

  /** Number of queued entries. */
  get size(): number {
    return this.heap.size;
  }

  /** The key of the pair `(left, right)`. */
  key(left: number, right: number): number {
    return left * this.base + right;
  }

  /** The pair `[left, right]` of a key. */
  pairOf(key: number): [number, number] {
    const right = key % this.base;
    return [(key - right) / this.base, right];
  }

  /** Adds an entry. */
  push(entry: PairEntry): void {
    this.heap.push(entry);
  }

  /** Removes and returns the first entry (the queue must not be empty). */
  pop(): PairEntry {
    return this.heap.pop();
  }
}

/** Whether `a` is merged before `b`. */
function before(a: PairEntry, b: PairEntry): boolean {
  return a.count !== b.count ? a.count > b.count : a.key < b.key;
}
