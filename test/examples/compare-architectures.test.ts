import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

interface Row {
  name: string;
  parameters: number;
  tokensPerSecond: number;
  trainLosses: number[];
  validationLossBefore: number;
  validationLoss: number;
  task: Record<string, number>;
}

describe('examples/compare-architectures.ts, tiny settings', () => {
  it('trains GPT, BERT and T5 of similar size on the same blocks and writes the comparison table', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wordforge-compare-architectures-'));
    try {
      const run = spawnSync(process.execPath, [tsx, join(root, 'examples/compare-architectures.ts'),
        '--steps', '8', '--finetune-steps', '3', '--hidden-size', '16', '--layers', '1', '--seq-length', '16', '--batch-size', '4',
        '--validation-batches', '2', '--task-examples', '4', '--lr', '1e-2', '--out', 'out/compare.md', '--json', 'compare.json'], {
        cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
      });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      expect(run.stdout).toMatch(/tensors left: 0\n?$/);
      const summary = JSON.parse(readFileSync(join(cwd, 'compare.json'), 'utf8')) as {
        counts: Record<string, number>; tolerance: number; results: Row[]; tensorsLeft: number;
      };
      expect(summary.tensorsLeft).toBe(0);

      // Similar sizes: every count within the tolerance of every other, and the formulas match the built models.
      const counts = Object.values(summary.counts);
      expect(summary.tolerance).toBe(0.15);
      expect(Math.max(...counts) / Math.min(...counts) - 1).toBeLessThanOrEqual(0.15);
      expect(summary.results.map((r) => r.name)).toEqual(['GPT', 'BERT', 'T5']);
      for (const r of summary.results) {
        expect(r.parameters, r.name).toBe(summary.counts[r.name]);
        expect(r.tokensPerSecond, r.name).toBeGreaterThan(0);
        // Every loss finite, and falling from step 0 to the end, on the training log and on the validation batches.
        for (const loss of [...r.trainLosses, r.validationLossBefore, r.validationLoss]) expect(Number.isFinite(loss), r.name).toBe(true);
        expect(r.trainLosses.length, r.name).toBeGreaterThanOrEqual(2);
        expect(r.trainLosses.at(-1)!, r.name).toBeLessThan(r.trainLosses[0]!);
        expect(r.validationLoss, r.name).toBeLessThan(r.validationLossBefore);
      }
      const [gpt, bert, t5] = summary.results as [Row, Row, Row];
      for (const { task } of [gpt, t5]) {
        expect(Object.keys(task).sort()).toEqual(['bleu', 'rougeL']);
        expect(task.bleu).toBeGreaterThanOrEqual(0);
        expect(task.bleu).toBeLessThanOrEqual(100);
        expect(task.rougeL).toBeGreaterThanOrEqual(0);
        expect(task.rougeL).toBeLessThanOrEqual(1);
      }
      expect(Object.keys(bert.task)).toEqual(['maskedAccuracy']);
      expect(bert.task.maskedAccuracy).toBeGreaterThanOrEqual(0);
      expect(bert.task.maskedAccuracy).toBeLessThanOrEqual(1);

      // The Markdown table: three rows that agree with the numbers.
      const markdown = readFileSync(join(cwd, 'out/compare.md'), 'utf8');
      expect(run.stdout).toContain(markdown.trim());
      const lines = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
      const [header, ...rows] = lines.map((l) => l.slice(2, -2).split(' | '));
      expect(header).toEqual(['model', 'objective (loss measures)', 'parameters', 'train tokens/s', 'final train loss', 'validation loss', 'perplexity', 'task metric']);
      expect(rows).toHaveLength(3);
      rows.forEach((cells, i) => {
        const r = summary.results[i]!;
        expect(cells[0]).toBe(r.name);
        expect(Number(cells[2]!.replace(/,/g, ''))).toBe(r.parameters);
        expect(Number(cells[5])).toBeCloseTo(r.validationLoss, 3);
        expect(Number(cells[6])).toBeCloseTo(Math.exp(r.validationLoss), 1);
      });
      expect(rows.map((cells) => cells[1])).toEqual(['next token', 'masked token', 'corrupted spans']);
      expect(rows[0]![7]).toMatch(/^BLEU \d+\.\d\d, ROUGE-L \d\.\d{3}$/);
      expect(rows[1]![7]).toMatch(/^masked-token accuracy \d\.\d{3}$/);
      expect(rows[2]![7]).toMatch(/^BLEU \d+\.\d\d, ROUGE-L \d\.\d{3}$/);
      expect(markdown).toContain('compare them within a row');
      expect(markdown).toContain('BERT does not generate left to right');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
