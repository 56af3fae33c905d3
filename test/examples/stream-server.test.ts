import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecOf, createGenerationServer, type GenerationRecord } from '../../examples/stream-server.js';
import { CharTokenizer, GPTCausalLM } from 'wordforge';

const tokenizer = CharTokenizer.fromText('春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。\n');
const codec = codecOf(tokenizer);
const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength: 64, hiddenSize: 16, numLayers: 1, numHeads: 2, seed: 1 });
const server = createGenerationServer(model, codec, 5000);
let base = '';
let baseline = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseline = tf.memory().numTensors;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  model.dispose();
});

interface ServerEvent { event: string; data: string }

function parseEvents(body: string): ServerEvent[] {
  return body.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length) ?? 'message';
    return { event, data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n') };
  });
}

async function stats(): Promise<{ numTensors: number; activeGenerations: number; lastGeneration: GenerationRecord | null }> {
  return (await fetch(`${base}/stats`)).json() as Promise<{ numTensors: number; activeGenerations: number; lastGeneration: GenerationRecord | null }>;
}

describe('examples/stream-server.ts', () => {
  it.each([
    ['sampled', '&temperature=0.9&seed=7', { doSample: true, temperature: 0.9, seed: 7 }],
    ['greedy', '', {}],
  ])('streams %s text deltas as SSE that add up to what generate returns', async (_name, query, options) => {
    const response = await fetch(`${base}/generate?prompt=${encodeURIComponent('春眠')}&maxNewTokens=30${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseEvents(await response.text());
    const deltas = events.filter((e) => e.event === 'message').map((e) => (JSON.parse(e.data) as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toEqual({ event: 'done', data: JSON.stringify({ tokens: 30 }) });
    const [ids] = await model.generate([codec.encode('春眠')], { maxNewTokens: 30, ...options });
    expect(deltas.join('')).toBe(codec.decode(ids!));
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('aborts generation when the client disconnects, freeing every tensor', async () => {
    const client = new AbortController();
    const response = await fetch(`${base}/generate?prompt=${encodeURIComponent('春')}&maxNewTokens=4000&temperature=1&seed=3`, { signal: client.signal });
    const reader = response.body!.getReader();
    const first = await reader.read(); // the first event has arrived: generation is running
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: \{"text":/);
    client.abort();
    await reader.cancel().catch(() => undefined);
    let now = await stats();
    for (let tries = 0; now.activeGenerations > 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      now = await stats();
    }
    expect(now.activeGenerations).toBe(0);
    expect(now.lastGeneration?.aborted).toBe(true);
    expect(now.lastGeneration!.tokens).toBeLessThan(4000);
    expect(now.numTensors).toBe(baseline);
  });

  it.each([
    ['maxNewTokens=abc&prompt=x', 'RangeArgumentError: maxNewTokens ("abc") must be a number'],
    ['prompt=%E6%98%A5&maxNewTokens=0', 'RangeArgumentError: maxNewTokens (0) must be an integer from 1 to 5000'],
    ['maxNewTokens=5', 'RangeArgumentError: prompt is required and must not be empty'],
    ['prompt=%E6%98%A5&temperature=-1', 'RangeArgumentError: '],
    ['prompt=%E6%98%A5&seed=1.5&temperature=1', 'RangeArgumentError: '],
    ['prompt=Z', 'VocabularyError: character "Z" (U+005A) at index 0 is not in the vocabulary'],
    ['prompt=%E6%98%A5&temprature=1', 'ConfigError: unknown parameter "temprature"'],
  ])('answers 400 with the typed error for %s', async (query, message) => {
    const response = await fetch(`${base}/generate?${query}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect((await stats()).numTensors).toBe(baseline);
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/generate?prompt=x`, { method: 'POST' })).status).toBe(405);
  });
});

describe('examples/stream-server.ts as a program', () => {
  it('trains its default model, listens, streams a generation and stops on SIGTERM', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const child = spawn(process.execPath, [tsx, join(root, 'examples/stream-server.ts'), '--train-steps', '2', '--port', '0'], {
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          const match = /listening on (http:\/\/[\d.]+:\d+)\//.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stdout}`)));
      });
      expect(stdout).toMatch(/training step 2 loss \d/);
      const events = parseEvents(await (await fetch(`${url}/generate?prompt=${encodeURIComponent('春')}&maxNewTokens=12&temperature=0.8&seed=1`)).text());
      expect(events.filter((e) => e.event === 'message').length).toBeGreaterThan(0);
      expect(events.at(-1)).toEqual({ event: 'done', data: JSON.stringify({ tokens: 12 }) });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
