// examples/prepare-data.ts end to end on the poems and three Brown files, with a tiny vocabulary.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readTokenCache } from '../../src/data/pack/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'wordforge-prepare-data-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The first integer captured by `pattern` in `text`. */
const count = (text: string, pattern: RegExp): number => Number(text.match(pattern)?.[1]?.replace(/,/g, '') ?? NaN);

describe('examples/prepare-data.ts', () => {
  it('reads, cleans, dedups, splits, tokenises, caches and batches, and the counts add up', async () => {
    const stdout = execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('tsx/cli'), join(root, 'examples/prepare-data.ts'),
      '--out', out, '--brown-files', '3', '--vocab-size', '300', '--block-size', '33', '--batch-size', '4',
    ], { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') } });

    const poems = count(stdout, /read: (\d+) documents from 2 files/);
    const brown = count(stdout, /, (\d+) Brown sentences/);
    expect(poems).toBeGreaterThan(300); // tang300 + song100
    expect(brown).toBeGreaterThan(100);
    expect(count(stdout, /clean: (\d+) documents in/)).toBe(poems + brown);
    const cleanedOut = count(stdout, /clean: \d+ documents in, (\d+) out/);
    expect(cleanedOut).toBeLessThan(poems + brown); // filterLength drops the shortest sentences
    expect(stdout).toMatch(/filterLength +seen +\d+ +changed +0 +removed +[1-9]\d* \(too-few-words \d+\)/);
    const kept = count(stdout, /MinHash dedup: \d+ in, (\d+) kept/);
    const [train, validation, test] = [/split: train (\d+)/, /validation (\d+)/, /test (\d+)/].map((p) => count(stdout, p)) as [number, number, number];
    expect(train + validation + test).toBe(kept);
    expect(train).toBeGreaterThan(validation + test);

    for (const name of ['train', 'validation', 'test']) expect(existsSync(join(out, `${name}.tokens`))).toBe(true);
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true);
    const cache = await readTokenCache(join(out, 'train.tokens'));
    expect(cache.documentCount).toBe(train);
    expect(cache.vocabSize).toBe(300);
    expect(cache.dtype).toBe('uint16');
    expect(count(stdout, /pack: (\d+) documents/)).toBe(train);
    expect(stdout).toMatch(/batches: \d+ windows -> [1-9]\d* batches of 4 x 32 per epoch/);
    expect(stdout).toContain('resumed at {"epoch":0,"batch":1}: same next batch true');
  }, 60_000);
});
