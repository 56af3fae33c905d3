export type { DedupReport, DuplicateEvent } from './duplicate-event.js';
export { exactDedup, normalizeForExactDedup, type ExactDedupOptions } from './exact-dedup.js';
export { shingleHashes, type ShingleUnit } from './shingles.js';
export { MinHasher } from './min-hash.js';
export { lshCandidateProbability, lshThreshold } from './lsh-probability.js';
export {
  minHashDedup, MinHashDeduplicator, type DedupCheck, type MinHashDedupOptions, type MinHashDedupReport,
} from './min-hash-dedup.js';
