import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/tokenizers/load-tokenizer.js';

describe('long inputs', () => {
  it('encodes 200k tokens without overflowing the stack (no push(...array) of a whole encoding)', async () => {
    const tokenizer = await loadTokenizer(new URL('../fixtures/tokenizers/byte-level-bpe.json', import.meta.url).pathname);
    const { ids, offsets } = tokenizer.encode('a '.repeat(200_000));
    expect(ids.length).toBeGreaterThanOrEqual(200_000);
    expect(offsets.at(-1)![1]).toBeLessThanOrEqual(400_000);
  });
});
