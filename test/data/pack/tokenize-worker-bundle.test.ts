import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The library is bundled (tsup: one file per entry), so the worker script must be an entry of its
// own beside the data entry: `dist/data/tokenize-worker.{js,cjs}` next to `dist/data/index.{js,cjs}`.
// This builds that layout with esbuild, as tsup would, and tokenises through workers from both the
// ESM and the CommonJS bundle.
const source = (path: string): string => fileURLToPath(new URL(`../../../src/data/pack/${path}`, import.meta.url));

describe('tokenizeDocuments with workers from a bundled build', () => {
  it('finds the worker next to the ESM and the CommonJS bundle', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'wordforge-worker-bundle-'));
    for (const [format, extension] of [['esm', 'js'], ['cjs', 'cjs']] as const) {
      for (const [entry, out] of [['index.ts', 'index'], ['tokenize-worker.ts', 'tokenize-worker']] as const) {
        await build({ entryPoints: [source(entry)], outfile: join(dist, 'data', `${out}.${extension}`), bundle: true, platform: 'node',
          format, target: 'node20', logLevel: 'silent' });
      }
    }
    writeFileSync(join(dist, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dist, 'run.mjs'), `
      import { createRequire } from 'node:module';
      const esm = await import('./data/index.js');
      const cjs = createRequire(import.meta.url)('./data/index.cjs');
      const tokenizer = { encode: () => [], toJSON: () => ({ type: 'CharTokenizer', version: 1, vocab: ['<pad>', 'a', 'b'], specialTokens: ['<pad>'], unknownToken: null }) };
      const results = [];
      for (const module of [esm, cjs]) {
        const out = [];
        let summary;
        for await (const ids of module.tokenizeDocuments(['ab', 'ba', 'c', 'aab'], tokenizer, { workers: 2, batchDocuments: 1, onInvalid: 'skip', onSummary: (s) => (summary = s) })) out.push([...ids]);
        results.push({ out, skipped: summary.skipped });
      }
      console.log(JSON.stringify(results));
    `);
    const run = spawnSync(process.execPath, [join(dist, 'run.mjs')], { cwd: dist, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const expected = { out: [[1, 2], [2, 1], [1, 1, 2]], skipped: 1 };
    expect(JSON.parse(run.stdout)).toEqual([expected, expected]);
  });
});
