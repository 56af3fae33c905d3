import { describe, expect, it } from 'vitest';
import { alignWordLabels, collateClassification, collateTokenClassification } from '../../../src/data/collate/collate-classification.js';
import { collateSeq2Seq } from '../../../src/data/collate/collate-seq2seq.js';
import { IGNORE_INDEX } from '../../../src/data/causal-lm-batch.js';
import { validateSequenceClassificationBatch, validateTokenClassificationBatch } from '../../../src/data/classification-batch.js';
import { validateSeq2SeqBatch } from '../../../src/data/seq2seq-batch.js';
import { ContextLengthError, ShapeError } from '../../../src/utils/errors.js';

const X = IGNORE_INDEX;

describe('collateSeq2Seq', () => {
  it('pads sources with padId and labels with -100, with both attention masks', () => {
    const batch = collateSeq2Seq([{ source: [5, 6, 1], target: [7, 1] }, { source: [8, 1], target: [9, 9, 1] }], { padId: 0 });
    expect(batch).toMatchObject({ batchSize: 2, sourceLength: 3, targetLength: 3 });
    expect([...batch.inputIds]).toEqual([5, 6, 1, 8, 1, 0]);
    expect([...batch.attentionMask!]).toEqual([1, 1, 1, 1, 1, 0]);
    expect([...batch.labels]).toEqual([7, 1, X, 9, 9, 1]);
    expect([...batch.decoderAttentionMask!]).toEqual([1, 1, 0, 1, 1, 1]);
    expect(batch.decoderInputIds).toBeUndefined();
    validateSeq2SeqBatch(batch, 10);
  });

  it('builds decoder inputs behind the start token and honours fixed lengths', () => {
    const batch = collateSeq2Seq([{ source: [5], target: [7, 8, 1] }], { padId: 0, decoderStartId: 2, sourcePadTo: 4, targetPadTo: 5 });
    expect([...batch.inputIds]).toEqual([5, 0, 0, 0]);
    expect([...batch.decoderInputIds!]).toEqual([2, 7, 8, 0, 0]);
    expect([...batch.labels]).toEqual([7, 8, 1, X, X]);
    expect(() => collateSeq2Seq([{ source: [5, 5], target: [1] }], { padId: 0, sourcePadTo: 1 })).toThrowError(ContextLengthError);
    expect(() => collateSeq2Seq([{ source: [5, 5], target: [1] }], { padId: 0, sourcePadTo: 1 })).toThrowError('source 0 has 2 tokens');
  });
});

describe('collateClassification', () => {
  it('collates class indices into an Int32Array and regression targets into a Float32Array', () => {
    const classes = collateClassification([{ inputIds: [5, 6], label: 1 }, { inputIds: [7], label: 0, tokenTypeIds: [1] }], { padId: 0 });
    expect([...classes.inputIds]).toEqual([5, 6, 7, 0]);
    expect(classes.labels).toEqual(Int32Array.of(1, 0));
    expect([...classes.tokenTypeIds!]).toEqual([0, 0, 1, 0]);
    validateSequenceClassificationBatch(classes, 8, 2);
    const regression = collateClassification([{ inputIds: [5], label: [0.5, 1] }, { inputIds: [6], label: [2, 3] }], { padId: 0 });
    expect(regression.labels).toEqual(Float32Array.of(0.5, 1, 2, 3));
    validateSequenceClassificationBatch(regression, 8, 2);
  });

  it('rejects mixed or ragged labels and mismatched token types', () => {
    expect(() => collateClassification([{ inputIds: [5], label: 1 }, { inputIds: [6], label: [1] }], { padId: 0 }))
      .toThrowError('example 1 has regression targets but example 0 a class index');
    expect(() => collateClassification([{ inputIds: [5], label: [1, 2] }, { inputIds: [6], label: [1] }], { padId: 0 })).toThrowError(ShapeError);
    expect(() => collateClassification([{ inputIds: [5], label: 1, tokenTypeIds: [0, 0] }], { padId: 0 })).toThrowError('example 0 has 2 tokenTypeIds for 1 inputIds');
  });
});

describe('collateTokenClassification', () => {
  it('pads labels with -100 on either side', () => {
    const examples = [{ inputIds: [5, 6], labels: [1, 2] }, { inputIds: [7], labels: [0] }];
    const right = collateTokenClassification(examples, { padId: 0 });
    expect([...right.labels]).toEqual([1, 2, 0, X]);
    validateTokenClassificationBatch(right, 8, 3);
    const left = collateTokenClassification(examples, { padId: 0, side: 'left' });
    expect([...left.inputIds]).toEqual([5, 6, 0, 7]);
    expect([...left.labels]).toEqual([1, 2, X, 0]);
    expect(() => collateTokenClassification([{ inputIds: [5, 6], labels: [1] }], { padId: 0 })).toThrowError('example 0 has 1 labels for 2 tokens');
  });

  it('aligns word labels to the first token of each word', () => {
    expect(alignWordLabels([null, 0, 0, 1, null], [3, 5])).toEqual([X, 3, X, 5, X]);
    expect(alignWordLabels([null, 0, 0, 1, null], [3, 5], true)).toEqual([X, 3, 3, 5, X]);
    expect(() => alignWordLabels([0, 1], [3])).toThrowError('token 1 belongs to word 1 but only 1 word labels were given');
  });
});
