import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkRewrittenFiles } from './atomic-writer-check.js';

// tsx as an in-process loader (its CLI would run the script in a grandchild that SIGKILL misses)
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const child = fileURLToPath(new URL('./atomic-writer.child.ts', import.meta.url));

describe('files rewritten in place under SIGKILL', () => {
  it('a process killed mid-write leaves whole model folders, tokenizer.json and metrics.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-atomic-'));
    try {
      for (const delayMs of [15, 120]) {
        const proc = spawn(process.execPath, ['--import', tsxLoader, child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
        await new Promise((r) => setTimeout(r, delayMs));
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));

        expect(await checkRewrittenFiles(dir)).toBeGreaterThanOrEqual(1); // throws on any torn file
        expect(tf.memory().numTensors).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
