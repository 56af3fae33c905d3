import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { loadTokenizer } from '../../src/tokenizers/load-tokenizer.js';

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

        const model = await GPTCausalLM.load(join(dir, 'model')); // throws on a torn file
        const values = await Promise.all(model.namedParameters().map(async ([, v]) => {
          const data = await v.data();
          return [data[0], data[data.length - 1]];
        }));
        const step = values[0]![0]!;
        expect(step).toBeGreaterThanOrEqual(1);
        for (const [first, last] of values) expect([first, last]).toEqual([step, step]); // one save, not a mix
        model.dispose();

        const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
        expect(tokenizer.idToToken(2)).toMatch(/^step\d+$/);
        const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
        expect(csv[0]).toBe('step,epoch,loss');
        for (const line of csv.slice(1)) expect(line.split(',')).toHaveLength(3);
        expect(tf.memory().numTensors).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
