/**
 * One document found to duplicate an earlier one, passed to a deduplicator's `onDuplicate`.
 * Positions count every document the deduplicator has seen, from 0.
 * @example
 * ```ts
 * const removedPairs: Array<[number, number]> = [];
 * const onDuplicate = (e: DuplicateEvent): void => { removedPairs.push([e.index, e.duplicateOf]); };
 * ```
 */
export interface DuplicateEvent {
  /** Position of the removed document. */
  readonly index: number;
  /** Position of the kept document it duplicates. */
  readonly duplicateOf: number;
  /** Estimated Jaccard similarity of their shingle sets (1 for exact duplicates). */
  readonly similarity: number;
}

/**
 * What a deduplicator did over a stream.
 * @example
 * ```ts
 * declare const docs: string[];
 * const kept: string[] = [];
 * const deduped = exactDedup(docs);
 * for await (const doc of deduped) kept.push(doc);
 * deduped.report; // { documents: 1000, kept: 950, removed: 50 }
 * ```
 */
export interface DedupReport {
  /** Documents seen. */
  documents: number;
  /** Documents passed on (the first of each duplicate cluster). */
  kept: number;
  /** Documents removed as duplicates of a kept one. */
  removed: number;
}
