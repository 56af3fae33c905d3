// examples/train-tokenizer.ts end to end on the poems and three Brown files, with a tiny vocabulary.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/tokenizers/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'wordforge-train-tokenizer-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The first number captured by `pattern` in `text`. */
const number = (text: string, pattern: RegExp): number => Number(text.match(pattern)?.[1] ?? NaN);

describe('examples/train-tokenizer.ts', () => {
  it('trains a byte-level BPE, saves and reloads it, and reports real compression and an exact round trip', async () => {
    const stdout = execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('tsx/cli'), join(root, 'examples/train-tokenizer.ts'),
      '--out', out, '--brown-files', '3', '--vocab-size', '600',
    ], { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') } });

    const path = join(out, 'tokenizer.json');
    expect(existsSync(path)).toBe(true);
    expect(stdout).toContain('encodes the');
    expect(stdout).toMatch(/held-out lines identically: true/);
    expect(number(stdout, /vocabulary: (\d+) tokens/)).toBe(600);
    const [done, total] = (stdout.match(/round trip \(decode\(encode\(x\)\) === x\): (\d+)\/(\d+)/) ?? []).slice(1).map(Number);
    expect(total).toBeGreaterThan(100);
    expect(done).toBe(total);
    const english = number(stdout, /English held-out: .* = ([\d.]+) tokens per character/);
    expect(english).toBeGreaterThan(0);
    expect(english).toBeLessThan(1);
    expect(number(stdout, /Chinese held-out: .* = ([\d.]+) tokens per character/)).toBeGreaterThan(0);
    expect(stdout.match(/20 longest tokens: (.*)/)?.[1]?.split('" "')).toHaveLength(20);
    expect(stdout).toMatch(/character tokenizer: \d+ tokens, .*byte-level needs \d+ tokens/);

    // The saved file on its own: loads, and encodes mixed text that decodes back exactly.
    const tokenizer = await loadTokenizer(path);
    const text = 'The jury said 床前明月光 — 疑是地上霜.';
    const ids = tokenizer.encodeIds(text);
    expect(ids.length).toBeLessThan([...text].length * 3);
    expect(tokenizer.decode(ids)).toBe(text);
  }, 30_000);
});
