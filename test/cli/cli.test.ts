import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('trains a BPE tokenizer, then a GPT with it, and generates with the saved pair', () => {
    writeFileSync(join(dir, 'poems.txt'), '床前明月光，疑是地上霜。举头望明月，低头思故乡。\nthe moon over the frost\n'.repeat(40));
    const trained = wordforge('train-tokenizer', 'bpe.json', 'poems.txt', '--vocab-size', '300', '--special-tokens', '<|endoftext|>');
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/trained a byte-level tokenizer of 30\d tokens on 1 file/);
    const tokenizer = JSON.parse(readFileSync(join(dir, 'bpe.json'), 'utf8'));
    expect(tokenizer.model.type).toBe('BPE');
    expect(tokenizer.added_tokens[0].content).toBe('<|endoftext|>');

    writeFileSync(join(dir, 'bpe-config.json'), JSON.stringify({
      data: 'poems.txt', out: 'bpe-model', tokenizer: 'bpe.json',
      model: { hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 16 },
      training: { steps: 4, batchSize: 2, evalEvery: 4 },
    }));
    const model = wordforge('train', 'bpe-config.json');
    expect(model.status, model.stderr).toBe(0);
    expect(readFileSync(join(dir, 'bpe-model', 'tokenizer.json'), 'utf8')).toBe(readFileSync(join(dir, 'bpe.json'), 'utf8'));
    const generated = wordforge('generate', 'bpe-model', '--prompt', '床前', '--max-new-tokens', '5');
    expect(generated.status, generated.stderr).toBe(0);
    expect(generated.stdout.startsWith('床前')).toBe(true);

    const bad = wordforge('train-tokenizer', 'x.json', 'poems.txt', '--model', 'sentencepiece');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--model \(sentencepiece\) must be one of/);
  }, 120_000);

  it('trains with model.gradientCheckpointing and --threads, and refuses a non-boolean flag', () => {
    writeFileSync(join(dir, 'text.txt'), 'abc abd abe '.repeat(80));
    const config = (gradientCheckpointing: unknown) => JSON.stringify({
      data: 'text.txt', out: 'checkpointed', model: { hiddenSize: 16, numLayers: 2, numHeads: 2, contextLength: 16, gradientCheckpointing },
      training: { steps: 3, batchSize: 2, evalEvery: 3 },
    });
    writeFileSync(join(dir, 'checkpointed.json'), config(true));
    const trained = wordforge('train', 'checkpointed.json', '--threads', '1');
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/^backend wasm \(1 thread\); .*; gradient checkpointing on$/m);
    expect(readFileSync(join(dir, 'checkpointed', 'config.json'), 'utf8')).not.toMatch(/gradient/i); // a runtime flag
    writeFileSync(join(dir, 'bad-flag.json'), config('yes'));
    const refused = wordforge('train', 'bad-flag.json');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('wordforge: bad-flag.json: "model.gradientCheckpointing" ("yes") must be true or false\n');
  }, 120_000);

  it('validates --threads as initBackend does, on every command that starts a backend', () => {
    const zero = wordforge('evaluate', 'nowhere', '--data', 'x.txt', '--threads', '0');
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/^wordforge: wasm threads \(0, from the threads option\) must be a whole number from 1 to \d+/);
    writeFileSync(join(dir, 'threads.json'), JSON.stringify({ data: 'absent.txt', out: 'absent' })); // the backend starts before the data is read
    const fraction = wordforge('train', 'threads.json', '--threads', '1.5');
    expect(fraction.stderr).toMatch(/^wordforge: wasm threads \(1\.5, from the threads option\)/);
    const word = wordforge('generate', 'nowhere', '--prompt', 'x', '--threads', 'two');
    expect(word.status).toBe(1);
    expect(word.stderr).toBe('wordforge: --threads (two) must be a number\n');
  }, 60_000);

  it('prints help and reports bad input as one typed-error line', () => {
    const help = wordforge('--help').stdout;
    expect(help).toContain('wordforge <command>');
    expect(help).toContain('"gradientCheckpointing": true recomputes activations');
    expect(help.match(/\[--threads N\]/g)).toHaveLength(3); // train, generate, evaluate
    const missing = wordforge('generate', 'nowhere', '--prompt', 'x');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^wordforge: /);
    expect(wordforge('frobnicate', 'x').status).toBe(2);
  }, 60_000);
});
