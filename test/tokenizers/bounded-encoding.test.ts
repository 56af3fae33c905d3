import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenizerFromJSON } from '../../src/tokenizers/tokenizer-from-json.js';
import { CancelledError, RangeArgumentError } from '../../src/utils/errors.js';

const tokenizer = tokenizerFromJSON(JSON.parse(readFileSync(new URL('../fixtures/tokenizers/byte-level-bpe.json', import.meta.url), 'utf8')));
const lines = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.length > 0);

describe('bounded and cancellable tokenisation', () => {
  it('refuses inputs over maxInputLength before doing any work', () => {
    const huge = 'x'.repeat(1_000_001);
    const start = performance.now();
    expect(() => tokenizer.encode(huge, null, { maxInputLength: 1_000_000 }))
      .toThrowError(new RangeArgumentError('text of 1000001 characters exceeds maxInputLength (1000000)'));
    expect(() => tokenizer.encodeIds('ok', huge, { maxInputLength: 10 })).toThrowError(/pair of 1000001 characters exceeds maxInputLength \(10\)/);
    expect(performance.now() - start).toBeLessThan(1000); // refused up front, not after tokenising
    expect(() => tokenizer.encode('ok', null, { maxInputLength: -1 })).toThrowError(/maxInputLength \(-1\) must be a non-negative integer/);
    expect(tokenizer.encode('床前明月光', null, { maxInputLength: 5 }).ids).toEqual(tokenizer.encode('床前明月光').ids);
  });

  it('encodeBatchAsync equals encodeBatch, yields to the event loop and stops when aborted', async () => {
    expect(await tokenizer.encodeBatchAsync(lines, { chunkSize: 50 })).toEqual(tokenizer.encodeBatch(lines));
    // The abort runs in a later macrotask: the batch is only cancelled if it yields between chunks.
    const controller = new AbortController();
    const pending = tokenizer.encodeBatchAsync([...lines, ...lines, ...lines], { chunkSize: 10, signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toThrowError(CancelledError);
    await expect(pending).rejects.toThrowError(/cancelled after \d+ of \d+ inputs/);
    await expect(tokenizer.encodeBatchAsync(lines, { chunkSize: 0 })).rejects.toThrowError(RangeArgumentError);
  });
});
