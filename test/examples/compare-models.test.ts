import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GPTCausalLM } from 'wordforge';
import { loadPoemCorpus } from '../../examples/poem-corpus.js';
import { findAll, parseXml } from '../callbacks/html-report-xml.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const data = fileURLToPath(new URL('../../../shared/data/song100.txt', import.meta.url));

function parameterCount(vocabSize: number, hiddenSize: number): number {
  const model = new GPTCausalLM({ vocabSize, contextLength: 16, hiddenSize, numLayers: 1, numHeads: 4 });
  const count = model.namedParameters().reduce((n, [, v]) => n + v.size, 0);
  model.dispose();
  return count;
}

describe('examples/compare-models.ts, tiny settings', () => {
  it('trains every variant on the same budget and writes the comparison table and an HTML report per run', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wordforge-compare-models-'));
    try {
      const run = spawnSync(process.execPath, [tsx, join(root, 'examples/compare-models.ts'), '--data', data,
        '--max-steps', '4', '--eval-every', '2', '--hidden-size', '16', '--layers', '1', '--context-length', '16', '--batch-size', '4',
        '--reports', 'reports', '--out', 'compare.md'], {
        cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
      });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      const table = readFileSync(join(cwd, 'compare.md'), 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
      const [header, ...rows] = table.map((l) => l.slice(2, -2).split(' | '));
      expect(header).toEqual(['variant', 'hidden size', 'schedule', 'parameters', 'final eval loss', 'perplexity', 'best eval loss (step)', 'tokens/s', 'wall time (s)']);
      expect(rows.map((r) => r[0])).toEqual(['narrow', 'wide', 'wide-cosine']);
      const { tokenizer } = loadPoemCorpus(data, { batchSize: 1, seqLength: 16, validationBatches: 0 });
      expect(rows.map((r) => Number(r[3]!.replace(/,/g, '')))).toEqual([16, 32, 32].map((h) => parameterCount(tokenizer.vocabSize, h)));
      for (const [, , , , loss, perplexity, best, tokensPerSecond, wall] of rows) {
        expect(Number(loss)).toBeGreaterThan(0);
        expect(Number(loss)).toBeLessThan(2 * Math.log(tokenizer.vocabSize)); // finite and near an untrained model's
        expect(Number(perplexity)).toBeCloseTo(Math.exp(Number(loss)), 0);
        expect(best).toMatch(/^\d+\.\d{4} \((2|4)\)$/);
        expect(Number(best!.split(' ')[0])).toBeLessThanOrEqual(Number(loss));
        expect(Number(tokensPerSecond)).toBeGreaterThan(0);
        expect(Number(wall)).toBeGreaterThan(0);
      }
      expect(rows[2]![2]).toBe('cosine 0.003 → 0.0003, warmup 1');
      for (const name of ['narrow', 'wide', 'wide-cosine']) {
        const html = parseXml(readFileSync(join(cwd, 'reports', name, 'report.html'), 'utf8'));
        const evalPoints = findAll(html, 'circle').filter((c) => c.attributes['data-series'] === 'eval_loss');
        expect(evalPoints, name).toHaveLength(2); // evaluations at steps 2 and 4
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
