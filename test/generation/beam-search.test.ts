import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { beamSearch, BeamHypotheses, generate, type NextFn } from '../../src/generation/index.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';

/** Logits of a made-up language model over V tokens: a pseudo-random function of the whole sequence. */
function lmLogits(seq: number[], vocab: number): number[] {
  const rng = new Rng(seq.reduce((h, t) => (h * 31 + t + 7) | 0, 17));
  return Array.from({ length: vocab }, () => 2 * rng.nextNormal());
}

/** A NextFn whose cache is the whole token history (so reordering is observable); counts live caches. */
function historyModel(vocab: number): { next: NextFn<tf.Tensor2D>; reorder: (c: tf.Tensor2D, i: number[]) => tf.Tensor2D; calls: () => number } {
  let calls = 0;
  const next: NextFn<tf.Tensor2D> = (tokens, cache) => {
    calls++;
    const all = (cache === null ? tf.clone(tokens) : tf.concat([cache, tokens], 1)) as tf.Tensor2D;
    const rows = all.arraySync() as number[][];
    return { logits: tf.tensor2d(rows.map((r) => lmLogits(r, vocab))), cache: all };
  };
  const reorder = (c: tf.Tensor2D, idx: number[]): tf.Tensor2D => tf.tidy(() => tf.gather(c, tf.tensor1d(idx, 'int32')));
  return { next, reorder, calls: () => calls };
}

const logSoftmax = (row: number[]): number[] => {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
  return row.map((x) => x - lse);
};

/** Every continuation of `prompt` up to `steps` tokens (ending at the first eos), scored as Hugging Face. */
function bruteForce(prompt: number[], vocab: number, steps: number, eos: number | undefined, lp: number): Array<{ tokens: number[]; score: number }> {
  const out: Array<{ tokens: number[]; score: number }> = [];
  const walk = (gen: number[], sum: number): void => {
    if (gen.length === steps) { out.push({ tokens: gen, score: sum / steps ** lp }); return; }
    const logp = logSoftmax(lmLogits([...prompt, ...gen], vocab));
    logp.forEach((l, t) => {
      if (t === eos) out.push({ tokens: gen, score: (sum + l) / (gen.length + 1) ** lp });
      else walk([...gen, t], sum + l);
    });
  };
  walk([], 0);
  return out.sort((a, b) => b.score - a.score);
}

describe('beamSearch', () => {
  it('equals exhaustive search when the beam is wide enough (no eos)', async () => {
    const { next, reorder } = historyModel(3);
    const before = tf.memory().numTensors;
    const result = await beamSearch(next, [[1, 2], [0, 1]], {
      maxNewTokens: 4, numBeams: 27, numReturnSequences: 5, disposeCache: (c) => c.dispose(), reorderCache: reorder,
    });
    expect(tf.memory().numTensors).toBe(before);
    for (const [b, prompt] of [[1, 2], [0, 1]].entries()) {
      const best = bruteForce(prompt, 3, 4, undefined, 1).slice(0, 5);
      expect(result.sequences.slice(5 * b, 5 * b + 5)).toEqual(best.map((h) => h.tokens));
      result.scores.slice(5 * b, 5 * b + 5).forEach((s, i) => expect(s).toBeCloseTo(best[i]!.score, 4));
    }
  });

  it('equals exhaustive search with eos and a length penalty (earlyStopping never)', async () => {
    for (const lp of [1, 0, 2]) {
      const { next, reorder } = historyModel(3);
      const result = await beamSearch(next, [2], {
        maxNewTokens: 4, numBeams: 27, numReturnSequences: 6, eosTokenId: 0, lengthPenalty: lp, earlyStopping: 'never',
        disposeCache: (c) => c.dispose(), reorderCache: reorder,
      });
      const best = bruteForce([2], 3, 4, 0, lp).slice(0, 6);
      // returned rows carry the eos when it fits, then padding (= eos) up to the longest + 1 (at most 4)
      const width = Math.min(Math.max(...best.map((h) => h.tokens.length)) + 1, 4);
      expect(result.sequences, `lengthPenalty ${lp}`).toEqual(best.map((h) => [...h.tokens, ...Array<number>(width - h.tokens.length).fill(0)]));
      result.scores.forEach((s, i) => expect(s).toBeCloseTo(best[i]!.score, 4));
    }
  });

  /**
   * Hand-built case (V = 3, eos = 0, 2 beams, 3 steps), worked out with Hugging Face's rules:
   * after token 1 the model says eos 0.5, 2 0.3, 1 0.2; after token 2 it says 2 0.9, eos 0.05, 1 0.05.
   * Step 1 finishes [] (log 0.5); step 2 finishes [1] (log 0.2 + log 0.5) and keeps [2 2], [1 2];
   * step 3 keeps [2 2 2], [1 2 2].
   */
  const table: Record<number, number[]> = { 0: [0, 0, 0], 1: [0.5, 0.2, 0.3], 2: [0.05, 0.05, 0.9] };
  const tableModel = (): { next: NextFn<tf.Tensor2D>; reorder: (c: tf.Tensor2D, i: number[]) => tf.Tensor2D; calls: () => number } => {
    const m = historyModel(3);
    let calls = 0;
    const next: NextFn<tf.Tensor2D> = (tokens, cache) => {
      calls++;
      const out = m.next(tokens, cache);
      const last = (out.cache.arraySync() as number[][]).map((r) => r[r.length - 1]!);
      out.logits.dispose();
      return { logits: tf.tensor2d(last.map((t) => table[t]!.map((p) => Math.log(p || 1e-9)))), cache: out.cache };
    };
    return { next, reorder: m.reorder, calls: () => calls };
  };
  const run = async (extra: { lengthPenalty?: number; earlyStopping?: boolean | 'never' }): Promise<{ sequences: number[][]; calls: number }> => {
    const m = tableModel();
    const r = await beamSearch(m.next, [1], {
      maxNewTokens: 3, numBeams: 2, numReturnSequences: 2, eosTokenId: 0, ...extra,
      disposeCache: (c) => c.dispose(), reorderCache: m.reorder,
    });
    return { sequences: r.sequences, calls: m.calls() };
  };

  it('follows Hugging Face on a hand-built case: length penalty and early stopping', async () => {
    // lengthPenalty 1: [2 2 2] scores log(.3 · .9 · .9) / 3 = -0.471 and beats [] at log .5 = -0.693
    expect(await run({})).toEqual({ sequences: [[2, 2, 2], [0, 0, 0]], calls: 3 });
    // lengthPenalty 0: raw sums, the short [] wins
    expect((await run({ lengthPenalty: 0 })).sequences).toEqual([[0, 0, 0], [2, 2, 2]]);
    // earlyStopping true: done once 2 hypotheses are finished (after step 2), so [2 2 2] never appears
    expect(await run({ earlyStopping: true })).toEqual({ sequences: [[0, 0], [1, 0]], calls: 2 });
    expect((await run({ earlyStopping: 'never' })).sequences).toEqual([[2, 2, 2], [0, 0, 0]]);
  });

  it('BeamHypotheses.isDone implements earlyStopping true, false and never', () => {
    const make = (mode: boolean | 'never', lp = 1): BeamHypotheses => {
      const h = new BeamHypotheses(1, lp, mode, 10);
      h.add([1], -2, 2); // score -1
      return h;
    };
    expect(new BeamHypotheses(1, 1, true, 10).isDone(-100, 3)).toBe(false); // nothing finished yet
    expect(make(true).isDone(-0.1, 3)).toBe(true);
    expect(make(false).isDone(-1.5, 3)).toBe(false); // -0.5 could still win
    expect(make(false).isDone(-4, 3)).toBe(true); // -1.33 cannot
    expect(make('never').isDone(-4, 3)).toBe(false); // at length 10: -0.4 could
    expect(make('never').isDone(-20, 3)).toBe(true);
    expect(make('never', -1).isDone(-4, 3)).toBe(true); // negative penalty: the current length is the best case
    const h = make(false);
    h.add([2], -0.5, 1);
    expect(h.best(1).map((x) => x.tokens)).toEqual([[2]]);
    expect(h.beams).toHaveLength(1);
  });

  it('ends when every beam holds a stop string, as if maxNewTokens had ended it there', async () => {
    const { next, reorder } = historyModel(4);
    const decode = (ids: number[]) => ids.map((t) => 'abcd'[t]).join('');
    const opts = { numBeams: 3, numReturnSequences: 3, disposeCache: (c: tf.Tensor2D) => c.dispose(), reorderCache: reorder };
    // Without stop strings, find the first step at which every beam's text holds "c" or "d".
    let stopStep = 0;
    for (let n = 1; n <= 12 && stopStep === 0; n++) {
      const partial = await beamSearch(next, [[1, 2]], { ...opts, maxNewTokens: n });
      // all open beams at step n are what the search keeps; the three best equal them when no eos exists
      if (partial.sequences.every((seq) => /[cd]/.test(decode(seq)))) stopStep = n;
    }
    expect(stopStep).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    const stopped = await beamSearch(next, [[1, 2]], { ...opts, maxNewTokens: 12, stop: ['c', 'd'], decode });
    expect(tf.memory().numTensors).toBe(before);
    expect(stopped).toEqual(await beamSearch(next, [[1, 2]], { ...opts, maxNewTokens: stopStep }));
    // A stop string no beam ever produces changes nothing.
    expect(await beamSearch(next, [[1, 2]], { ...opts, maxNewTokens: 5, stop: ['zz'], decode }))
      .toEqual(await beamSearch(next, [[1, 2]], { ...opts, maxNewTokens: 5 }));
  });

  it('is what generate runs for numBeams > 1, and validates its options', async () => {
    const { next, reorder } = historyModel(4);
    const opts = { maxNewTokens: 3, numBeams: 3, disposeCache: (c: tf.Tensor2D) => c.dispose() };
    const viaGenerate = await generate(next, [1, 2], { ...opts, reorderCache: reorder });
    expect(viaGenerate).toEqual((await beamSearch(next, [1, 2], { ...opts, reorderCache: reorder })).sequences);
    await expect(generate(next, [1], opts)).rejects.toThrow(/needs a reorderCache/);
    await expect(generate(next, [1], { ...opts, reorderCache: reorder, doSample: true })).rejects.toThrow(RangeArgumentError);
    await expect(generate(next, [1], { ...opts, reorderCache: reorder, numReturnSequences: 4 })).rejects.toThrow(/must not exceed numBeams \(3\)/);
    await expect(generate(next, [1], { ...opts, reorderCache: reorder, earlyStopping: 'always' as 'never' })).rejects.toThrow(/earlyStopping/);
  });
});
