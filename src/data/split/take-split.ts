import { createDocumentStream, type DocumentInput, type DocumentStream } from '../sources/document-stream.js';
import { contentHashUnit, splitAt, type AssignSplitOptions } from './assign-split.js';
import { resolveSplitRatios, SPLIT_NAMES, type SplitName } from './split-ratios.js';
import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';

/**
 * What {@link takeSplit} did: documents seen, and how many went to each split.
 * @example
 * ```ts
 * declare const validation: DocumentStream<TakeSplitReport>;
 * validation.report; // { documents: 1000, train: 801, validation: 97, test: 102 }
 * ```
 */
export interface TakeSplitReport {
  /** Documents seen. */
  documents: number;
  /** Documents assigned to the training split. */
  train: number;
  /** Documents assigned to the validation split. */
  validation: number;
  /** Documents assigned to the test split. */
  test: number;
}

/**
 * Streams the documents of one split, assigned by content hash ({@link assignSplit}): run it once
 * per split over the same source to get disjoint, reproducible train, validation and test streams
 * without holding anything in memory. The report counts all three splits.
 * @param documents - the input documents
 * @param split - the split to keep
 * @param options - the ratios and the seed
 * @example
 * ```ts
 * const source = () => readJsonl('corpus.jsonl', { field: 'text' });
 * const options = { ratios: { train: 0.98, validation: 0.01, test: 0.01 }, seed: 0 };
 * const train = takeSplit(source(), 'train', options);
 * const validation = takeSplit(source(), 'validation', options);
 * ```
 */
export function takeSplit(documents: DocumentInput, split: SplitName, options: AssignSplitOptions): DocumentStream<TakeSplitReport> {
  assert(SPLIT_NAMES.includes(split), ConfigError, () => `split (${describeJSON(split)}) must be 'train', 'validation' or 'test'`);
  const ratios = resolveSplitRatios(options.ratios);
  const seed = options.seed ?? 0;
  contentHashUnit('', seed); // validates the seed before iteration starts
  return createDocumentStream((): TakeSplitReport => ({ documents: 0, train: 0, validation: 0, test: 0 }), async function* (report) {
    for await (const doc of documents) {
      report.documents++;
      const assigned = splitAt(contentHashUnit(doc, seed), ratios);
      report[assigned]++;
      if (assigned === split) yield doc;
    }
  });
}
