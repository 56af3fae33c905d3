// examples/finetune-lora.ts runs end to end with tiny settings on the Tang poems.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const cwd = mkdtempSync(join(tmpdir(), 'wordforge-finetune-example-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('examples/finetune-lora.ts', () => {
  it('extends the vocabulary, trains LoRA on tang300, samples before/after and writes an HF folder', () => {
    const data = fileURLToPath(new URL('../../../shared/data/tang300.txt', import.meta.url));
    const run = spawnSync(process.execPath, [tsx, join(root, 'examples', 'finetune-lora.ts'),
      '--data', data, '--steps', '8', '--rank', '2', '--sample-length', '8', '--out', 'out'], {
      cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
    });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/313 poems/);
    expect(out).toMatch(/vocabulary 320 -> \d{4}/);
    expect(out).toMatch(/--- before:\n春.{8}\n/);
    expect(out).toMatch(/--- after:\n春/);
    const [, before, after] = /probe loss ([\d.]+) -> ([\d.]+)/.exec(out) ?? [];
    expect(Number(after)).toBeLessThan(Number(before));
    const config = JSON.parse(readFileSync(join(cwd, 'out/merged/config.json'), 'utf8')) as { vocab_size: number };
    expect(config.vocab_size).toBeGreaterThan(320);
    expect(existsSync(join(cwd, 'out/merged/model.safetensors'))).toBe(true);
    expect(out).toContain('tensors left: 0');
  }, 120_000);
});
