import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from '../../../examples/brown-corpus.js';
import { TokenCacheError } from '../../../src/data/pack/pack-errors.js';
import { readTokenCache, writeTokenCache } from '../../../src/data/pack/token-cache.js';
import { tokenizeDocuments } from '../../../src/data/pack/tokenize-documents.js';
import { CharTokenizer } from '../../../src/tokenizers/char-tokenizer.js';
import { RangeArgumentError } from '../../../src/utils/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'wordforge-token-cache-'));
const lines = loadBrownCorpus(3).split('\n');
const tokenizer = CharTokenizer.fromText(lines.join('\n'), { specialTokens: ['<|endoftext|>'] });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('writeTokenCache / readTokenCache', () => {
  it('round-trips tokenised Brown sentences as uint16 in one view', async () => {
    const path = join(dir, 'brown.tokens');
    const docs = await collect(tokenizeDocuments(lines, tokenizer, { eosId: 0 }));
    const summary = await writeTokenCache(path, tokenizeDocuments(lines, tokenizer, { eosId: 0 }), { vocabSize: tokenizer.vocabSize });
    const tokens = docs.reduce((n, d) => n + d.length, 0);
    expect(summary).toEqual({ documents: docs.length, tokens, bytes: readFileSync(path).length });
    expect(summary.bytes).toBeLessThan(40 + tokens * 2 + (docs.length + 1) * 8 + 8);
    const cache = await readTokenCache(path);
    expect(cache).toMatchObject({ path, dtype: 'uint16', vocabSize: tokenizer.vocabSize, documentCount: docs.length });
    expect(cache.tokens).toBeInstanceOf(Uint16Array);
    expect(cache.tokens).toHaveLength(tokens);
    docs.forEach((doc, i) => expect([...cache.document(i)]).toEqual([...doc]));
    expect(cache.document(1).buffer).toBe(cache.tokens.buffer);
    const copy = join(dir, 'copy.tokens');
    await writeTokenCache(copy, Array.from({ length: cache.documentCount }, (_, i) => cache.document(i)), { vocabSize: cache.vocabSize });
    expect(readFileSync(copy)).toEqual(readFileSync(path));
    expect(() => cache.document(docs.length)).toThrowError(RangeArgumentError);
  });

  it('stores uint32 for vocabularies of 65,536 ids or more, and empty documents', async () => {
    const path = join(dir, 'wide.tokens');
    const docs = [[70_000, 1], [], [65_535, 65_536, 3]];
    await writeTokenCache(path, docs, { vocabSize: 100_000 });
    const cache = await readTokenCache(path);
    expect(cache.dtype).toBe('uint32');
    expect(docs.map((_, i) => [...cache.document(i)])).toEqual(docs);
    await writeTokenCache(join(dir, 'edge.tokens'), [[65_535]], { vocabSize: 65_536 });
    expect((await readTokenCache(join(dir, 'edge.tokens'))).dtype).toBe('uint16');
  });

  it('refuses ids outside the vocabulary and leaves no file behind', async () => {
    const path = join(dir, 'bad.tokens');
    await expect(writeTokenCache(path, [[1, 2], [3, 512]], { vocabSize: 512 })).rejects.toThrowError('document 1 token 1 = 512 is outside the vocabulary [0, 512)');
    expect(readdirSync(dir).filter((f) => f.includes('bad.tokens'))).toEqual([]);
  });

  describe('names the file and the damage', () => {
    const good = join(dir, 'good.tokens');
    const damaged = (name: string, edit: (bytes: Buffer) => Buffer): string => {
      const path = join(dir, name);
      writeFileSync(path, edit(Buffer.from(readFileSync(good))));
      return path;
    };
    it.each([
      ['truncated', (b: Buffer) => b.subarray(0, b.length - 3), /truncated or corrupted: \d+ bytes, but the header/],
      ['header-only', (b: Buffer) => b.subarray(0, 20), /truncated: 20 bytes, the header alone needs 40/],
      ['magic', (b: Buffer) => (b.write('XXXX', 0), b), /not a wordforge token cache \(starts with "XXXXKENS"/],
      ['version', (b: Buffer) => (b.writeUInt32LE(9, 8), b), /version 9 is not supported/],
      ['width', (b: Buffer) => (b.writeUInt32LE(3, 12), b), /3 bytes per token/],
      ['offsets', (b: Buffer) => (b.writeBigUInt64LE(9n, b.length - 16), b), /corrupted offsets: offset 1 = 9 \(previous 0, 5 tokens\)/],
      ['token', (b: Buffer) => (b.writeUInt16LE(600, 40), b), /token 0 = 600 is outside the vocabulary \[0, 512\)/],
    ] as const)('%s', async (name, edit, message) => {
      await writeTokenCache(good, [[1, 2, 3], [4, 5]], { vocabSize: 512 });
      const path = damaged(`${name}.tokens`, edit);
      await expect(readTokenCache(path)).rejects.toThrowError(TokenCacheError);
      await expect(readTokenCache(path)).rejects.toThrowError(message);
      await expect(readTokenCache(path)).rejects.toThrowError(path);
    });
    it('missing', async () => {
      await expect(readTokenCache(join(dir, 'missing.tokens'))).rejects.toThrowError(/missing\.tokens: cannot be read \(ENOENT/);
    });
  });
});
