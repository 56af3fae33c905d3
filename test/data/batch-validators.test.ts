import { describe, expect, it } from 'vitest';
import {
  IGNORE_INDEX, validateMaskedLMBatch, validateSeq2SeqBatch, validateSequenceClassificationBatch,
  validateTokenClassificationBatch,
} from '../../src/data/index.js';
import { ShapeError, VocabularyError } from '../../src/utils/errors.js';

const ids = (...v: number[]) => Int32Array.from(v);

describe('batch validators', () => {
  it('accept well-formed batches of every objective', () => {
    expect(() => validateMaskedLMBatch({ batchSize: 1, seqLength: 3, inputIds: ids(1, 4, 2), labels: ids(IGNORE_INDEX, 3, IGNORE_INDEX) }, 5)).not.toThrow();
    expect(() => validateSeq2SeqBatch({ batchSize: 2, sourceLength: 2, targetLength: 1, inputIds: ids(1, 2, 3, 4), labels: ids(0, IGNORE_INDEX) }, 5)).not.toThrow();
    expect(() => validateSequenceClassificationBatch({ batchSize: 2, seqLength: 1, inputIds: ids(1, 2), labels: ids(0, 2) }, 5, 3)).not.toThrow();
    expect(() => validateSequenceClassificationBatch({ batchSize: 2, seqLength: 1, inputIds: ids(1, 2), labels: Float32Array.of(0.5, -1) }, 5, 1)).not.toThrow();
    expect(() => validateTokenClassificationBatch({ batchSize: 1, seqLength: 2, inputIds: ids(1, 2), labels: ids(IGNORE_INDEX, 1) }, 5, 2)).not.toThrow();
  });

  it('name the field whose length disagrees with the shape', () => {
    expect(() => validateMaskedLMBatch({ batchSize: 1, seqLength: 3, inputIds: ids(1, 4, 2), labels: ids(1), tokenTypeIds: ids(0, 0, 0) }, 5))
      .toThrow(/labels has 1 entries, expected batchSize × seqLength = 3/);
    expect(() => validateSeq2SeqBatch({ batchSize: 1, sourceLength: 2, targetLength: 2, inputIds: ids(1, 2), labels: ids(1, 2), decoderInputIds: ids(0) }, 5))
      .toThrow(ShapeError);
    expect(() => validateSeq2SeqBatch({ batchSize: 1, sourceLength: 0, targetLength: 2, inputIds: ids(), labels: ids(1, 2) }, 5))
      .toThrow(/sourceLength \(0\) must be a positive integer/);
  });

  it('reject ids outside the vocabulary and labels outside the classes', () => {
    expect(() => validateMaskedLMBatch({ batchSize: 1, seqLength: 1, inputIds: ids(9), labels: ids(IGNORE_INDEX) }, 5)).toThrow(VocabularyError);
    expect(() => validateSeq2SeqBatch({ batchSize: 1, sourceLength: 1, targetLength: 1, inputIds: ids(1), labels: ids(1), decoderInputIds: ids(7) }, 5))
      .toThrow(/decoderInputIds\[0\] = 7/);
    expect(() => validateSequenceClassificationBatch({ batchSize: 1, seqLength: 1, inputIds: ids(1), labels: ids(3) }, 5, 3))
      .toThrow(/labels\[0\] = 3 is not a class index in \[0, 3\)/);
    expect(() => validateSequenceClassificationBatch({ batchSize: 1, seqLength: 1, inputIds: ids(1), labels: Float32Array.of(NaN) }, 5, 1))
      .toThrow(/not a finite regression target/);
    expect(() => validateSequenceClassificationBatch({ batchSize: 1, seqLength: 1, inputIds: ids(1), labels: ids(IGNORE_INDEX) }, 5, 2)).toThrow(ShapeError);
    expect(() => validateTokenClassificationBatch({ batchSize: 1, seqLength: 1, inputIds: ids(1), labels: ids(2) }, 5, 2)).toThrow(ShapeError);
  });
});
