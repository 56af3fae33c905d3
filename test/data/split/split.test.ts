import { describe, expect, it } from 'vitest';
import { assignSplit, contentHashUnit } from '../../../src/data/split/assign-split.js';
import { splitDataset } from '../../../src/data/split/split-dataset.js';
import { resolveSplitRatios } from '../../../src/data/split/split-ratios.js';
import { takeSplit } from '../../../src/data/split/take-split.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';

const ratios = { train: 0.8, validation: 0.1, test: 0.1 };
const sentences = brownDocuments(20).flatMap((d) => d.split('\n')); // ~1,800 sentences

describe('resolveSplitRatios', () => {
  it('fills missing splits with 0 and rejects bad ratios with typed errors', () => {
    expect(resolveSplitRatios({ train: 0.9, validation: 0.1 })).toEqual({ train: 0.9, validation: 0.1, test: 0 });
    expect(() => resolveSplitRatios({ train: 0.8, validation: 0.1 })).toThrowError(RangeArgumentError);
    expect(() => resolveSplitRatios({ train: 0.8, validation: 0.1 })).toThrowError('ratios must sum to 1, got 0.9');
    expect(() => resolveSplitRatios({ train: 1.2, test: -0.2 })).toThrowError(/ratios.train \(1.2\) must be a number in \[0, 1\]/);
    expect(() => resolveSplitRatios({ train: Number.NaN })).toThrowError(RangeArgumentError);
    expect(() => resolveSplitRatios({ train: 0.9, valid: 0.1 } as never)).toThrowError(ConfigError);
  });
});

describe('assignSplit (by content hash)', () => {
  it('gives a document the same split whatever the order or the other documents', async () => {
    const first = sentences.map((s) => assignSplit(s, { ratios }));
    const shuffled = new Rng(1).shuffle(sentences.map((s, i) => [s, i] as const));
    for (const [s, i] of shuffled) expect(assignSplit(s, { ratios })).toBe(first[i]);
    const streamed = await collect(takeSplit(sentences.slice(0, 300), 'validation', { ratios }));
    expect(streamed).toEqual(sentences.slice(0, 300).filter((_, i) => first[i] === 'validation'));
  });

  it('fills the splits in proportion (within 4 binomial standard errors)', () => {
    const unique = [...new Set(sentences)];
    const counts = { train: 0, validation: 0, test: 0 };
    for (const s of unique) counts[assignSplit(s, { ratios, seed: 3 })]++;
    for (const [name, p] of Object.entries(ratios) as Array<[keyof typeof ratios, number]>) {
      expect(Math.abs(counts[name] - p * unique.length)).toBeLessThan(4 * Math.sqrt(unique.length * p * (1 - p)));
    }
  });

  it('keeps whitespace variants of a text together, and a new seed reshuffles', () => {
    expect(contentHashUnit('a  b\n', 0)).toBe(contentHashUnit('a b', 0));
    const bySeed = [0, 1].map((seed) => sentences.slice(0, 200).map((s) => assignSplit(s, { ratios, seed })));
    expect(bySeed[0]!.filter((split, i) => split !== bySeed[1]![i]).length).toBeGreaterThan(20);
    expect(() => assignSplit('x', { ratios, seed: 0.5 })).toThrowError(RangeArgumentError);
  });

  it('splits the poems into three disjoint streams that together hold every poem', async () => {
    const tang = () => readTextFiles(new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname, { split: { separatorLine: '%' } });
    const parts = await Promise.all((['train', 'validation', 'test'] as const).map((name) => collect(takeSplit(tang(), name, { ratios }))));
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(313);
    const all = await collect(tang());
    expect([...parts[0]!, ...parts[1]!, ...parts[2]!].sort()).toEqual([...all].sort());
    const stream = takeSplit(tang(), 'test', { ratios });
    await collect(stream);
    expect(stream.report).toEqual({ documents: 313, train: parts[0]!.length, validation: parts[1]!.length, test: parts[2]!.length });
    expect(() => takeSplit([], 'dev' as never, { ratios })).toThrowError(ConfigError);
  });
});

describe('splitDataset', () => {
  const docs = [...new Set(sentences)].slice(0, 1000);

  it("by 'seed' cuts a seeded shuffle at exact sizes, keeping input order within each split", () => {
    const split = splitDataset(docs, { ratios, by: 'seed', seed: 42 });
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([800, 100, 100]);
    expect(splitDataset(docs, { ratios, by: 'seed', seed: 42 })).toEqual(split);
    expect(splitDataset(docs, { ratios, by: 'seed', seed: 43 }).test).not.toEqual(split.test);
    const position = new Map(docs.map((d, i) => [d, i]));
    for (const part of Object.values(split)) {
      const idx = part.map((d) => position.get(d)!);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
    }
    expect([...split.train, ...split.validation, ...split.test].sort()).toEqual([...docs].sort());
  });

  it("by 'hash' agrees with assignSplit", () => {
    const split = splitDataset(docs, { ratios, seed: 5 });
    expect(split.test).toEqual(docs.filter((d) => assignSplit(d, { ratios, seed: 5 }) === 'test'));
    expect(() => splitDataset(docs, { ratios, by: 'random' as 'seed' })).toThrowError(ConfigError);
  });
});
