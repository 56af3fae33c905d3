// Every bundled example runs end to end with tiny settings (the quick start has its own test).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const cwd = mkdtempSync(join(tmpdir(), 'wordforge-examples-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function example(name: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [tsx, join(root, 'examples', name), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('bundled examples, tiny settings', () => {
  it('demo: trains on the Brown corpus and samples', () => {
    const out = example('demo.ts', '--steps', '4', '--hidden-size', '32', '--layers', '1', '--sample-length', '10');
    expect(out).toMatch(/step +4 +loss \d/);
    expect(out).toMatch(/--- The jury said/);
    expect(out).toContain('tensors left: 0');
  }, 120_000);

  it('train-gpt: trains with the Trainer, then resumes from the latest checkpoint', () => {
    example('train-gpt.ts', '--max-steps', '6', '--eval-every', '3', '--out', 'tang');
    expect(existsSync(join(cwd, 'tang/checkpoints/checkpoint-6/config.json'))).toBe(true);
    const resumed = example('train-gpt.ts', '--max-steps', '9', '--eval-every', '3', '--out', 'tang', '--resume');
    expect(resumed).toMatch(/stopped at step 9/);
  }, 180_000);

  it('hyperparameter-search: runs trials and writes the results table', () => {
    const out = example('hyperparameter-search.ts', '--trials', '2', '--max-steps', '4', '--out', 'search.csv');
    expect(out).toMatch(/best: trial \d/);
    expect(existsSync(join(cwd, 'search.csv'))).toBe(true);
  }, 120_000);
});
