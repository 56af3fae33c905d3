import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The library ships as tsup bundles (dist/index.js, dist/index.cjs) with @tensorflow/* external.
// This builds src/backend the same way and runs it in fresh Node processes, from ESM and from
// CommonJS: the wasm binaries must be found, and nothing may be printed.
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

describe('initBackend from the bundled library', () => {
  for (const script of ['check.mjs', 'check.cjs']) {
    for (const backend of ['wasm', 'cpu']) {
      it(`${backend} from ${script.endsWith('mjs') ? 'ESM' : 'CommonJS'}: works and prints nothing`, async () => {
        const env = { ...process.env };
        delete env['WORDFORGE_BACKEND'];
        const { stdout, stderr } = await run(process.execPath, [script, backend], { cwd: outDir, env });
        expect(stderr).toBe('');
        const result = JSON.parse(stdout) as { info: { name: string }; y: number[] };
        expect(result.info.name).toBe(backend);
        expect(result.y).toEqual([3, 3, 3, 3]);
      });
    }
  }
});
