import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The library ships as tsup bundles (dist/index.js, dist/index.cjs) with @tensorflow/* external.
// This builds src/backend the same way and runs it in fresh Node processes, from ESM and from
// CommonJS: the wasm binaries must be found, nothing may be printed, and the process must end by
// itself (the threaded build's worker threads must not keep it alive).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Inside the repository so that node_modules resolves from the bundles; ignored by git.
const outDir = path.join(root, 'node_modules/.cache/wordforge-bundled-backend-test');
const run = promisify(execFile);

const esmCheck = `
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.js';
const info = await initBackend({ backend: process.argv[2] });
const y = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
process.stdout.write(JSON.stringify({ info, y: Array.from(await y.data()) }));
`;
const cjsCheck = `
const tf = require('@tensorflow/tfjs-core');
const { initBackend } = require('./backend.cjs');
initBackend({ backend: process.argv[2] }).then(async (info) => {
  const y = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
  process.stdout.write(JSON.stringify({ info, y: Array.from(await y.data()) }));
});
`;

beforeAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entry: { backend: path.join(root, 'src/backend/index.ts') },
    format: ['esm', 'cjs'],
    outDir,
    platform: 'node',
    target: 'node20',
    external: [/^@tensorflow\//],
    config: false,
    silent: true,
    dts: false,
  });
  await writeFile(path.join(outDir, 'check.mjs'), esmCheck);
  await writeFile(path.join(outDir, 'check.cjs'), cjsCheck);
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

interface CheckResult {
  info: { name: string; threads?: number; threadsReason?: string };
  y: number[];
}

/** Runs a check script in a fresh Node; rejects if it prints to stderr's or runs past 60 s. */
async function runCheck(script: string, backend: string, options: { threads?: string; nodeArgs?: string[] } = {}) {
  const env = { ...process.env };
  delete env['WORDFORGE_BACKEND'];
  delete env['WORDFORGE_WASM_THREADS'];
  if (options.threads != null) env['WORDFORGE_WASM_THREADS'] = options.threads;
  const { stdout, stderr } = await run(process.execPath, [...(options.nodeArgs ?? []), script, backend],
    { cwd: outDir, env, timeout: 60_000 });
  expect(stderr).toBe('');
  return JSON.parse(stdout) as CheckResult;
}

describe('initBackend from the bundled library', () => {
  for (const script of ['check.mjs', 'check.cjs']) {
    for (const backend of ['wasm', 'cpu']) {
      it(`${backend} from ${script.endsWith('mjs') ? 'ESM' : 'CommonJS'}: works and prints nothing`, async () => {
        const result = await runCheck(script, backend);
        expect(result.info.name).toBe(backend);
        expect(result.y).toEqual([3, 3, 3, 3]);
      });
    }
    it.runIf(availableParallelism() >= 2)(`wasm with 2 threads from ${script.endsWith('mjs') ? 'ESM' : 'CommonJS'}: runs them and exits`, async () => {
      const result = await runCheck(script, 'wasm', { threads: '2' });
      expect(result.info).toMatchObject({ name: 'wasm', threads: 2 });
      expect(result.info.threadsReason).toBeUndefined();
      expect(result.y).toEqual([3, 3, 3, 3]);
    });
  }

  it.runIf(availableParallelism() >= 2)('falls back to one thread, saying why, without SharedArrayBuffer', async () => {
    const removeSharedArrayBuffer = 'data:text/javascript,delete globalThis.SharedArrayBuffer';
    const result = await runCheck('check.mjs', 'wasm', { threads: '2', nodeArgs: ['--import', removeSharedArrayBuffer] });
    expect(result.info.threads).toBe(1);
    expect(result.info.threadsReason).toBe('SharedArrayBuffer is not available; running the single-thread build');
    expect(result.y).toEqual([3, 3, 3, 3]);
  });

  it.runIf(availableParallelism() >= 2)('falls back to one thread, saying why, when worker threads are refused', async () => {
    const permissions = ['--experimental-permission', '--allow-fs-read=*', '--no-warnings'];
    const result = await runCheck('check.cjs', 'wasm', { threads: '2', nodeArgs: permissions });
    expect(result.info.threads).toBe(1);
    expect(result.info.threadsReason).toMatch(/^the threaded wasm build failed to start: .*; running the single-thread build$/);
    expect(result.y).toEqual([3, 3, 3, 3]);
  });
});
