import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CharTokenizer, GPTCausalLM, evaluatePerplexity } from 'wordforge';
import { loadBrownCorpus } from '../../examples/brown-corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** The `| name | value |` rows of a Markdown report, by name. */
function runExample(cwd: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [tsx, join(root, 'examples/evaluation-report.ts'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
  });
  expect(run.status, run.stderr.slice(-2000)).toBe(0);
  return run.stdout;
}

function tableValues(markdown: string): Map<string, string> {
  const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
  return new Map(rows.map((l) => l.slice(2, -2).split(' | ') as [string, string]));
}

describe('examples/evaluation-report.ts, tiny settings', () => {
  it('trains a tiny model, then writes perplexity, bits per byte, reference scores and diversity tables', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wordforge-evaluation-report-'));
    try {
      const stdout = runExample(cwd, '--files', '2', '--train-steps', '3', '--held-out-chars', '800', '--pairs', '3', '--samples', '3',
        '--max-new-tokens', '8', '--context-length', '16', '--stride', '8', '--hidden-size', '16', '--layers', '1', '--out', 'report.md');
      const report = readFileSync(join(cwd, 'report.md'), 'utf8');
      expect(stdout).toContain(report);
      for (const heading of ['# Evaluation report', '## Language modelling', '## Continuations of held-out sentences', '## Diversity of samples']) {
        expect(report).toContain(heading);
      }
      const values = tableValues(report);
      const meanNll = Number(values.get('mean NLL (nats/token)'));
      expect(meanNll).toBeGreaterThan(Math.log(2)); // an almost untrained model is far from certain
      expect(Number(values.get('perplexity'))).toBeCloseTo(Math.exp(meanNll), 1);
      // the Brown text is ASCII and the tokenizer character-level: one byte per token
      expect(Number(values.get('bits per byte'))).toBeCloseTo(meanNll / Math.LN2, 3);
      expect(Number(values.get('tokens scored'))).toBeGreaterThan(700);
      for (const metric of ['bleu', 'chrf']) expect(Number(values.get(metric))).toBeGreaterThanOrEqual(0);
      for (const metric of ['rouge1', 'rouge2', 'rougeL']) expect(Number(values.get(metric))).toSatisfy((v: number) => v >= 0 && v <= 1);
      for (const measure of ['distinct-1', 'distinct-2']) expect(Number(values.get(measure))).toSatisfy((v: number) => v > 0 && v <= 1);
      expect(Number(values.get('Self-BLEU (lower = more diverse)'))).toSatisfy((v: number) => v >= 0 && v <= 100);
      expect(values.get('samples')).toBe('3');
      expect([1, 2, 3].map((i) => values.has(String(i)))).toEqual([true, true, true]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('evaluates a saved model folder: the reported perplexity is the sliding-window perplexity of the held-out text', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wordforge-evaluation-report-'));
    const text = loadBrownCorpus(2);
    const tokenizer = CharTokenizer.fromText(text);
    const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength: 16, hiddenSize: 16, numLayers: 1, numHeads: 2, seed: 5 });
    try {
      await model.save(join(cwd, 'model'));
      writeFileSync(join(cwd, 'model/tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
      runExample(cwd, '--model', join(cwd, 'model'), '--files', '2', '--held-out-chars', '600', '--pairs', '1', '--samples', '2',
        '--max-new-tokens', '4', '--context-length', '16', '--stride', '8', '--out', 'saved.md');
      const report = readFileSync(join(cwd, 'saved.md'), 'utf8');
      expect(report).toContain(`Model: ${join(cwd, 'model')};`);
      const heldOut = text.slice(text.indexOf('\n', text.length - 600) + 1); // the example's split
      const expected = await evaluatePerplexity(model, tokenizer.encode(heldOut), { contextLength: 16, stride: 8 });
      const values = tableValues(report);
      expect(Number(values.get('tokens scored'))).toBe(expected.tokenCount);
      expect(Number(values.get('mean NLL (nats/token)'))).toBeCloseTo(expected.meanNll, 3);
    } finally {
      model.dispose();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
