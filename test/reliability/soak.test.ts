import { describe, expect, it } from 'vitest';
import { soak } from './soak.js';

/** RSS may grow this much (allocator and JIT warm-up), not with the number of steps. */
const MAX_RSS_GROWTH_MB = 100;

describe('soak: a tiny GPT trained and sampled for a while', () => {
  it('keeps the tensor count flat, leaks nothing and bounds RSS over 300 steps and 1000 tokens', async () => {
    const figures = await soak(300, 1000);
    expect(figures.generatedTokens).toBeGreaterThanOrEqual(1000);
    expect(figures.tensorsEnd).toBe(figures.tensorsStart);
    expect(figures.tensorsLeaked).toBe(0);
    expect(figures.rssEndMB - figures.rssStartMB).toBeLessThan(MAX_RSS_GROWTH_MB);
    expect(figures.lastLoss).toBeLessThan(figures.firstLoss);
  }, 120_000);
});
