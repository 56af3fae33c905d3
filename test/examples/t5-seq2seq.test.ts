// examples/t5-seq2seq.ts with tiny settings: 5 Brown files, 8 test phrases, 2 beams; 40 span-corruption
// steps then 30 task steps from the pretrained model; then, without pretraining, 30 steps from the base.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs the example in a scratch folder with `extra` arguments; returns what it printed and the folder the model went to. */
function runT5Example(scratch: string, extra: readonly string[]): { stdout: string; out: string } {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = join(scratch, 't5');
  const args = ['--out', out, '--steps', '30', '--brown-files', '5', '--test-size', '8', '--beams', '2', ...extra];
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' };
  return { stdout: execFileSync(process.execPath, [tsx, join(root, 'examples/t5-seq2seq.ts'), ...args], { encoding: 'utf8', env }), out };
}

/** Runs the example in a fresh scratch folder, checks it with `check`, removes the folder. */
function inScratch(extra: readonly string[], check: (run: { stdout: string; out: string }) => void): void {
  const scratch = mkdtempSync(join(tmpdir(), 'wordforge-t5-seq2seq-'));
  try {
    check(runT5Example(scratch, extra));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('examples/t5-seq2seq.ts', () => {
  it('pretrains with span corruption (loss falls, folder written) and trains the reversal from it', () => {
    inScratch(['--pretrain-steps', '40', '--skip-baseline'], ({ stdout, out }) => {
      const [, sentences, held, top, bottom, chars] = stdout
        .match(/span corruption on (\d+) unlabelled sentences \((\d+) held out\); sentinels (\d+) down to (\d+), above the (\d+) character ids/)!
        .map(Number) as number[];
      expect(sentences).toBeGreaterThan(held!);
      expect(held).toBeGreaterThan(0);
      expect(top).toBe(159); // the hf-tiny T5 has 160 ids
      expect(bottom).toBeGreaterThan(chars!);
      const before = Number(stdout.match(/span-corruption loss on held-out sentences before: ([\d.]+)/)![1]);
      const after = Number(stdout.match(/span-corruption loss on held-out sentences after: ([\d.]+)/)![1]);
      expect([before, after].every(Number.isFinite)).toBe(true);
      expect(after).toBeLessThan(before);
      const losses = stdout.match(/span-corruption training loss: (.*)/)![1]!.split(' ').map(Number);
      expect(losses).toHaveLength(4);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect(stdout).toContain('pretrained 40 steps');
      const pretrained = `${out}-pretrained`;
      expect(existsSync(join(pretrained, 'model.safetensors'))).toBe(true);
      expect(JSON.parse(readFileSync(join(pretrained, 'config.json'), 'utf8')).architectures).toEqual(['T5ForConditionalGeneration']);
      // The task model is the folder loaded back: equal to the pretrained weights, away from the base's.
      const [fromPretrained, fromBase] = stdout.match(/starts from .*: weights max \|difference\| from the pretrained model (\S+), from the base (\S+)/)!
        .slice(1).map(Number) as [number, number];
      expect(fromPretrained).toBe(0);
      expect(fromBase).toBeGreaterThan(1e-3);
      expect(stdout).not.toContain('from the base:'); // --skip-baseline
      checkTask(stdout, out, 'from the pretrained model');
      expect(stdout).toMatch(/after training, with pretraining: greedy BLEU [\d.]+ chrF [\d.]+; beam\(2\) BLEU [\d.]+ chrF [\d.]+\n/);
    });
  }, 90_000);

  it('with --pretrain-steps 0 trains the reversal from the base', () => {
    inScratch(['--pretrain-steps', '0'], ({ stdout, out }) => {
      expect(stdout).not.toContain('span corruption');
      expect(existsSync(`${out}-pretrained`)).toBe(false);
      checkTask(stdout, out, 'from the base');
      expect(stdout).toContain('after training, without pretraining: ');
    });
  }, 90_000);
});

/** What the task run `tag` must show: a held-out split, a falling loss, scores in [0, 100], a reloadable folder. */
function checkTask(stdout: string, out: string, tag: string): void {
  const [all, train, test] = stdout.match(/(\d+) phrases: (\d+) to train on, (\d+) to test/)!.slice(1).map(Number) as [number, number, number];
  expect(test).toBe(8);
  expect(train).toBeLessThan(all);
  expect(train).toBeGreaterThan(all / 2);
  expect(stdout).toMatch(/e\.g\. "(\w+) (\w+) (\w+)" -> "\3 \2 \1"/);
  const [, first, last] = stdout.match(new RegExp(`${tag}: trained 30 steps; loss ([\\d.]+) -> ([\\d.]+)`))!.map(Number) as [number, number, number];
  expect(last).toBeLessThan(first);
  for (const when of ['before', 'after']) {
    const line = stdout.match(new RegExp(`${tag}: ${when}: greedy BLEU ([\\d.]+) chrF ([\\d.]+); beam\\(2\\) BLEU ([\\d.]+) chrF ([\\d.]+)`));
    expect(line, when).not.toBeNull();
    for (const score of line!.slice(1).map(Number)) expect(score >= 0 && score <= 100).toBe(true);
  }
  expect(stdout.match(/greedy: .* beam: /g)).toHaveLength(3);
  expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['T5ForConditionalGeneration']);
  expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  expect(stdout).toContain('reloaded model generates the same: true');
  expect(stdout).toContain('tensors left: 0');
}
