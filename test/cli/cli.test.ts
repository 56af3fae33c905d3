import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const dir = mkdtempSync(join(tmpdir(), 'wordforge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wordforge(...args: string[]) {
  return spawnSync(process.execPath, [tsx, join(root, 'src/cli/main.ts'), ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, WORDFORGE_BACKEND: 'wasm' },
  });
}

describe('the wordforge CLI', () => {
  it('trains from a JSON config, then inspects, generates and evaluates the saved model', () => {
    writeFileSync(join(dir, 'corpus.txt'), 'the cat sat on the mat. 猫坐在垫子上。\n'.repeat(60));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      data: 'corpus.txt', out: 'model',
      model: { hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 16 },
      training: { steps: 30, batchSize: 4, learningRate: 0.01, warmupSteps: 2, evalEvery: 15 },
    }));
    const trained = wordforge('train', 'config.json');
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/saved model \(best eval_loss \d/);

    const inspected = wordforge('inspect', 'model');
    expect(inspected.stdout).toContain('"model_type": "gpt2"');
    expect(inspected.stdout).toMatch(/transformer\.h\.0\.attn\.c_attn\.weight\s+F32\s+\[16, 48\]/);

    const generated = wordforge('generate', 'model', '--prompt', 'the c', '--max-new-tokens', '12');
    expect(generated.status, generated.stderr).toBe(0);
    expect([...generated.stdout.replace(/\n$/, '')].length).toBe(5 + 12); // the prompt, then 12 characters

    const evaluated = wordforge('evaluate', 'model', '--data', 'corpus.txt');
    const { perplexity, tokens } = JSON.parse(evaluated.stdout) as { perplexity: number; tokens: number };
    expect(perplexity).toBeGreaterThan(1);
    expect(perplexity).toBeLessThan(30); // the alphabet has 20+ symbols: it learned something
    expect(tokens).toBeGreaterThan(1000);
  }, 120_000);

  it('prints help and reports bad input as one typed-error line', () => {
    expect(wordforge('--help').stdout).toContain('wordforge <command>');
    const missing = wordforge('generate', 'nowhere', '--prompt', 'x');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^wordforge: /);
    expect(wordforge('frobnicate', 'x').status).toBe(2);
  }, 60_000);
});
