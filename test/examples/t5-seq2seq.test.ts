// examples/t5-seq2seq.ts with tiny settings: 5 Brown files, 30 steps, 8 test phrases, 2 beams.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs the example in a scratch folder; returns what it printed and the folder the model went to. */
function runT5Example(scratch: string): { stdout: string; out: string } {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = join(scratch, 't5');
  const args = ['--out', out, '--steps', '30', '--brown-files', '5', '--test-size', '8', '--beams', '2'];
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' };
  return { stdout: execFileSync(process.execPath, [tsx, join(root, 'examples/t5-seq2seq.ts'), ...args], { encoding: 'utf8', env }), out };
}

describe('examples/t5-seq2seq.ts', () => {
  it('fine-tunes the hf-tiny T5 to reverse words: loss falls, BLEU/chrF are scored greedy and with beams, the folder reloads', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'wordforge-t5-seq2seq-'));
    try {
      check(runT5Example(scratch));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 90_000);
});

/** What the run must show: a held-out split, a falling loss, scores in [0, 100], a reloadable folder. */
function check({ stdout, out }: { stdout: string; out: string }): void {
  const [all, train, test] = stdout.match(/(\d+) phrases: (\d+) to train on, (\d+) to test/)!.slice(1).map(Number) as [number, number, number];
  expect(test).toBe(8);
  expect(train).toBeLessThan(all);
  expect(train).toBeGreaterThan(all / 2);
  expect(stdout).toMatch(/e\.g\. "(\w+) (\w+) (\w+)" -> "\3 \2 \1"/);
  const [, first, last] = stdout.match(/trained 30 steps; loss ([\d.]+) -> ([\d.]+)/)!.map(Number) as [number, number, number];
  expect(last).toBeLessThan(first);
  for (const when of ['before', 'after']) {
    const line = stdout.match(new RegExp(`${when}: greedy BLEU ([\\d.]+) chrF ([\\d.]+); beam\\(2\\) BLEU ([\\d.]+) chrF ([\\d.]+)`));
    expect(line, when).not.toBeNull();
    for (const score of line!.slice(1).map(Number)) expect(score >= 0 && score <= 100).toBe(true);
  }
  expect(stdout.match(/greedy: .* beam: /g)).toHaveLength(3);
  expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['T5ForConditionalGeneration']);
  expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  expect(stdout).toContain('reloaded model generates the same: true');
  expect(stdout).toContain('tensors left: 0');
}
