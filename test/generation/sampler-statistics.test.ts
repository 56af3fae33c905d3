import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { processLogits, sample, type LogitsProcessing } from '../../src/generation/index.js';
import { Rng } from '../../src/utils/rng.js';

const LOGITS = [1.2, -0.3, 2.0, 0.4, -1.5, 1.6, 0.0, -0.8];
const N = 20000;

/** Draws N tokens from LOGITS after `processing`, with a fixed seed (so nothing can flake). */
async function draw(processing: LogitsProcessing, seed: number): Promise<number[]> {
  const processed = tf.tidy(() => processLogits(tf.tile(tf.tensor2d([LOGITS]), [N, 1]), processing));
  const tokens = await sample(processed, new Rng(seed));
  processed.dispose();
  return tokens;
}

/** Target distribution: softmax(LOGITS / t) restricted to `kept`, renormalised. */
function target(kept: number[], t = 1): number[] {
  const e = LOGITS.map((x, i) => (kept.includes(i) ? Math.exp(x / t) : 0));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/** Pearson chi-square of the counts against `probs` (cells of probability 0 must be empty). */
function chiSquare(tokens: number[], probs: number[]): number {
  const counts = probs.map((_, i) => tokens.filter((t) => t === i).length);
  probs.forEach((p, i) => { if (p === 0) expect(counts[i], `token ${i} must never be drawn`).toBe(0); });
  return probs.reduce((s, p, i) => (p === 0 ? s : s + (counts[i]! - N * p) ** 2 / (N * p)), 0);
}

// Critical values of chi-square at P = 0.001 by degrees of freedom (kept tokens - 1).
const CRITICAL = [0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32];
const sorted = LOGITS.map((_, i) => i).sort((a, b) => LOGITS[b]! - LOGITS[a]!); // [2, 5, 0, 3, 6, 1, 7, 4]

describe('samplers, statistically (fixed seeds)', () => {
  it('top-k draws only the k best tokens, in proportion', async () => {
    for (const k of [1, 3, 5]) {
      const kept = sorted.slice(0, k);
      expect(chiSquare(await draw({ topK: k }, k), target(kept))).toBeLessThanOrEqual(CRITICAL[k - 1]!);
    }
  });

  it('top-p draws only inside the nucleus, whose mass reaches p', async () => {
    const probs = target(sorted);
    for (const p of [0.3, 0.6, 0.9]) {
      let mass = 0;
      const kept = sorted.filter((i) => { const keep = mass < p; mass += probs[i]!; return keep; });
      expect(kept.reduce((s, i) => s + probs[i]!, 0)).toBeGreaterThanOrEqual(p);
      expect(chiSquare(await draw({ topP: p }, 10), target(kept))).toBeLessThanOrEqual(CRITICAL[kept.length - 1]!);
    }
  });

  it('min-p draws only tokens at least p times as likely as the best', async () => {
    const probs = target(sorted);
    const kept = sorted.filter((i) => probs[i]! >= 0.3 * probs[2]!);
    expect(kept).toEqual([2, 5, 0]);
    expect(chiSquare(await draw({ minP: 0.3 }, 11), target(kept))).toBeLessThanOrEqual(CRITICAL[kept.length - 1]!);
  });

  it('typical-p draws only the locally typical set', async () => {
    const tokens = await draw({ typicalP: 0.5 }, 12);
    const probs = target(sorted);
    const entropy = -probs.reduce((s, p) => s + p * Math.log(p), 0);
    const byDistance = sorted.slice().sort((a, b) => Math.abs(-Math.log(probs[a]!) - entropy) - Math.abs(-Math.log(probs[b]!) - entropy));
    let mass = 0;
    const kept = byDistance.filter((i) => { const keep = mass < 0.5; mass += probs[i]!; return keep; });
    expect(chiSquare(tokens, target(kept))).toBeLessThanOrEqual(CRITICAL[kept.length - 1]!);
  });

  it('temperature: matches softmax(logits / t), near-greedy when cold, near-uniform when hot', async () => {
    expect(chiSquare(await draw({ temperature: 0.7 }, 13), target(sorted, 0.7))).toBeLessThan(CRITICAL[7]!);
    const cold = await draw({ temperature: 0.01 }, 14);
    expect(cold.every((t) => t === 2)).toBe(true);
    const hot = await draw({ temperature: 1000 }, 15);
    expect(chiSquare(hot, LOGITS.map(() => 1 / LOGITS.length))).toBeLessThan(CRITICAL[7]!);
  });
});
