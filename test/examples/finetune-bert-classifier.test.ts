// examples/finetune-bert-classifier.ts with tiny settings: 4 Brown files per class, 100 steps.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'wordforge-bert-classifier-')), 'classifier');
afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

describe('examples/finetune-bert-classifier.ts', () => {
  it('fine-tunes the hf-tiny BERT on press vs fiction: loss falls, accuracies are fractions, the folder reloads', () => {
    const stdout = execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('tsx/cli'), join(root, 'examples/finetune-bert-classifier.ts'),
      '--out', out, '--steps', '100', '--files-per-class', '4',
    ], { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' } });

    const [train, test] = stdout.match(/(\d+) training and (\d+) test sentences/)!.slice(1).map(Number) as [number, number];
    expect(train).toBeGreaterThan(test);
    expect(test).toBeGreaterThan(50);
    expect(stdout).toContain('trained a 288-entry tokenizer; model vocabulary 288');
    expect(stdout).toMatch(/([\d,]+) parameters, \1 trainable, new 2-label head/); // nothing frozen by default
    const before = Number(stdout.match(/test accuracy before: ([\d.]+)/)![1]);
    const after = Number(stdout.match(/test accuracy after: ([\d.]+)/)![1]);
    for (const a of [before, after]) expect(a >= 0 && a <= 1).toBe(true);
    const losses = stdout.match(/training loss \(every 25 steps\): (.*)/)![1]!.split(' ').map(Number);
    expect(losses).toHaveLength(4);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(stdout).toMatch(/trained 100 steps/);

    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(existsSync(join(out, file))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['BertForSequenceClassification']);
    expect(stdout).toContain('reloaded: 2 labels, vocabulary 288');
    expect(stdout).toContain('tensors left: 0');
  }, 90_000);
});
