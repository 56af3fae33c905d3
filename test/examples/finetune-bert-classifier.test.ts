// examples/finetune-bert-classifier.ts with tiny settings, 4 Brown files per class: 60 masked-LM steps
// then 50 classification steps from the masked LM; then, without pretraining, 100 steps from the base.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'wordforge-bert-classifier-')), 'classifier');
const mlmOut = `${out}-mlm`;
afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

const fraction = (text: string, pattern: RegExp): number => {
  const value = Number(text.match(pattern)![1]);
  expect(value >= 0 && value <= 1, `${pattern} = ${value}`).toBe(true);
  return value;
};
const numbers = (line: string): number[] => line.split(' ').map(Number);

describe('examples/finetune-bert-classifier.ts', () => {
  it('pretrains a masked LM (loss falls, folder written), fine-tunes a classifier from it and from the base, reloads', () => {
    const stdout = execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('tsx/cli'), join(root, 'examples/finetune-bert-classifier.ts'),
      '--out', out, '--steps', '50', '--files-per-class', '4', '--pretrain-steps', '60', '--skip-baseline',
    ], { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' } });

    const [train, test] = stdout.match(/(\d+) training and (\d+) test sentences/)!.slice(1).map(Number) as [number, number];
    expect(train).toBeGreaterThan(test);
    expect(test).toBeGreaterThan(50);
    expect(stdout).toContain('trained a 288-entry tokenizer; model vocabulary 288');

    // Stage 1: masked LM.
    expect(stdout).toContain(`masked-LM pretraining on ${train} unlabelled sentences`);
    expect(Number(stdout.match(/\((\d+) ## pieces\)/)![1])).toBeGreaterThan(0);
    const held = [...stdout.matchAll(/held out (?:before|after): loss ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(held).toHaveLength(2);
    expect(held.every(Number.isFinite)).toBe(true);
    expect(held[1]!).toBeLessThan(held[0]!);
    fraction(stdout, /held out before: .*masked-token accuracy ([\d.]+)/);
    fraction(stdout, /held out after: .*masked-token accuracy ([\d.]+)/);
    const mlmLosses = numbers(stdout.match(/masked-LM training loss: (.*)/)![1]!);
    expect(mlmLosses).toHaveLength(4);
    expect(mlmLosses.every(Number.isFinite)).toBe(true);
    expect(mlmLosses.at(-1)!).toBeLessThan(mlmLosses[0]!);
    expect(stdout).toContain('pretrained 60 steps');
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(existsSync(join(mlmOut, file))).toBe(true);
    expect(JSON.parse(readFileSync(join(mlmOut, 'config.json'), 'utf8')).architectures).toEqual(['BertForMaskedLM']);

    // Stage 2 starts from the masked LM's encoder, which the pretraining moved away from the base's.
    const [fromMlm, fromBase] = stdout.match(/starts from .*: encoder max \|difference\| from the masked LM (\S+), from the base (\S+)/)!
      .slice(1).map(Number) as [number, number];
    expect(fromMlm).toBe(0);
    expect(fromBase).toBeGreaterThan(1e-3);
    expect(stdout).toMatch(/from the masked LM: ([\d,]+) parameters, \1 trainable, new 2-label head/); // nothing frozen by default
    fraction(stdout, /from the masked LM: test accuracy before: ([\d.]+)/);
    fraction(stdout, /from the masked LM: .*test accuracy after: ([\d.]+)/);
    const losses = numbers(stdout.match(/from the masked LM: training loss \(every 25 steps\): (.*)/)![1]!);
    expect(losses).toHaveLength(2);
    expect(losses.every((l) => Number.isFinite(l) && l > 0 && l < 2)).toBe(true);
    expect(stdout).toContain('from the masked LM: trained 50 steps');
    expect(stdout).not.toContain('from the base:'); // --skip-baseline
    expect(stdout).toMatch(/test accuracy: with pretraining [\d.]+\n/);
    fraction(stdout, /test accuracy: with pretraining ([\d.]+)/);

    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(existsSync(join(out, file))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['BertForSequenceClassification']);
    expect(stdout).toContain('reloaded: 2 labels, vocabulary 288');
    expect(stdout).toContain('tensors left: 0');
  }, 90_000);

  it('with --pretrain-steps 0 fine-tunes the base directly: loss falls', () => {
    const stdout = execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('tsx/cli'), join(root, 'examples/finetune-bert-classifier.ts'),
      '--out', `${out}-direct`, '--steps', '100', '--files-per-class', '4', '--pretrain-steps', '0',
    ], { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' } });
    expect(stdout).not.toContain('masked-LM');
    expect(stdout).toMatch(/from the base: ([\d,]+) parameters, \1 trainable, new 2-label head/);
    fraction(stdout, /from the base: test accuracy before: ([\d.]+)/);
    const losses = numbers(stdout.match(/from the base: training loss \(every 25 steps\): (.*)/)![1]!);
    expect(losses).toHaveLength(4);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(stdout).toContain('from the base: trained 100 steps');
    expect(existsSync(join(`${out}-direct`, 'model.safetensors'))).toBe(true);
    fraction(stdout, /test accuracy: without pretraining ([\d.]+)/);
    expect(stdout).toContain('tensors left: 0');
  }, 60_000);
});
