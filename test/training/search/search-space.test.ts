import { describe, expect, it } from 'vitest';
import { gridConfigs, gridValues } from '../../../src/training/search/grid-configs.js';
import { sampleConfig } from '../../../src/training/search/sample-config.js';
import { checkSearchSpace, choice, intRange, logUniform, uniform, type SearchConfig } from '../../../src/training/search/search-space.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';

const space = { learningRate: logUniform(1e-4, 1e-2), hiddenSize: choice([64, 128]), dropout: uniform(0, 0.2), numLayers: intRange(1, 4) };

describe('search space', () => {
  it('infers the configuration type from the space', () => {
    const config: SearchConfig<typeof space> = sampleConfig(space, new Rng(0));
    const width: 64 | 128 = config.hiddenSize; // a compile-time check as much as a runtime one
    expect([64, 128]).toContain(width);
    expect(Object.keys(config)).toEqual(['learningRate', 'hiddenSize', 'dropout', 'numLayers']);
  });

  it('samples reproducibly from the seed and within bounds', () => {
    const draw = (seed: number) => { const rng = new Rng(seed); return Array.from({ length: 500 }, () => sampleConfig(space, rng)); };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    for (const c of a) {
      expect(c.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(c.learningRate).toBeLessThan(1e-2);
      expect(c.dropout).toBeGreaterThanOrEqual(0);
      expect(c.dropout).toBeLessThan(0.2);
      expect([1, 2, 3, 4]).toContain(c.numLayers);
    }
    expect(new Set(a.map((c) => c.numLayers)).size).toBe(4);
    expect(new Set(a.map((c) => c.hiddenSize)).size).toBe(2);
  });

  it('draws log-uniform values uniformly in log space', () => {
    const rng = new Rng(123);
    const logs = Array.from({ length: 4000 }, () => Math.log10(sampleConfig({ lr: logUniform(1e-4, 1e-2) }, rng).lr)).sort((x, y) => x - y);
    // log10 is uniform on [-4, -2): the q-quantile is -4 + 2q (a uniform draw in value space would put the median near -2.3)
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) expect(logs[Math.floor(q * logs.length)]).toBeCloseTo(-4 + 2 * q, 1);
  });

  it('rejects bad bounds with typed errors naming them', () => {
    expect(() => uniform(1, 1)).toThrow(new RangeArgumentError('uniform bounds (1, 1) must be finite with low < high'));
    expect(() => logUniform(0, 1)).toThrow(/logUniform low \(0\) must be > 0/);
    expect(() => logUniform(1, Infinity)).toThrow(RangeArgumentError);
    expect(() => intRange(3, 2)).toThrow(/intRange bounds \(3, 2\)/);
    expect(() => intRange(0.5, 2)).toThrow(RangeArgumentError);
    expect(() => choice([])).toThrow(RangeArgumentError);
    expect(() => checkSearchSpace({ dropout: { kind: 'uniform', low: 0.3, high: 0.1 } })).toThrow(/dimension "dropout": uniform bounds \(0.3, 0.1\)/);
    expect(() => checkSearchSpace({ x: { kind: 'normal' } as never })).toThrow(ConfigError);
    expect(() => checkSearchSpace({})).toThrow(ConfigError);
  });
});

describe('grid', () => {
  it('enumerates in key order with the last key fastest', () => {
    const grid = gridConfigs({ hiddenSize: choice([64, 128]), numLayers: intRange(1, 3) });
    expect(grid).toEqual([
      { hiddenSize: 64, numLayers: 1 }, { hiddenSize: 64, numLayers: 2 }, { hiddenSize: 64, numLayers: 3 },
      { hiddenSize: 128, numLayers: 1 }, { hiddenSize: 128, numLayers: 2 }, { hiddenSize: 128, numLayers: 3 },
    ]);
  });

  it('spaces continuous dimensions linearly or geometrically and counts the product', () => {
    expect(gridValues(uniform(0, 0.2), 3)).toEqual([0, 0.1, 0.2]);
    const lr = gridValues(logUniform(1e-4, 1e-2), 3) as number[];
    [1e-4, 1e-3, 1e-2].forEach((v, i) => expect(lr[i]).toBeCloseTo(v, 12));
    expect(gridValues(logUniform(1, 100), 1)[0]).toBeCloseTo(10, 10);
    expect(gridConfigs(space, 3)).toHaveLength(3 * 2 * 3 * 4);
  });

  it('needs gridPoints for continuous dimensions', () => {
    expect(() => gridConfigs(space)).toThrow(new ConfigError('grid search needs gridPoints for the continuous dimension(s) learningRate, dropout'));
    expect(() => gridConfigs(space, 0)).toThrow(RangeArgumentError);
  });
});
