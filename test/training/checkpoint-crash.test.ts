import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { listCheckpoints, readCheckpoint } from '../../src/training/checkpoint.js';

// tsx as an in-process loader (its CLI would run the script in a grandchild that SIGKILL misses)
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const child = fileURLToPath(new URL('./checkpoint-writer.child.ts', import.meta.url));

describe('checkpoints under SIGKILL', () => {
  it('a process killed mid-save always leaves the previous checkpoints loadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-crash-'));
    try {
      for (const delayMs of [15, 70, 160]) {
        const proc = spawn(process.execPath, ['--import', tsxLoader, child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
        await new Promise((r) => setTimeout(r, delayMs));
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
        const all = await listCheckpoints(dir);
        expect(all.length).toBeGreaterThan(0);
        for (const { path, step } of all.slice(-2)) {
          const checkpoint = await readCheckpoint(path); // throws if anything is partial or corrupt
          expect(checkpoint.state.step).toBe(step);
          expect(checkpoint.optimizer.slots['m.a.weight']!.data[999_999]).toBe(step);
          const b = await checkpoint.weights['b.weight']!.data();
          expect(b[0]).toBe(step);
          expect(b[b.length - 1]).toBe(step);
          tf.dispose(Object.values(checkpoint.weights));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
