// Packs wordforge as npm would publish it, installs the tarball into a fresh project, and checks
// that ESM and CommonJS consumers can import every public entry, that their types resolve
// (are-the-types-wrong, publint), that the tfjs-free entries load no tfjs, and that a tiny model
// trains and generates from the installed package.
// Run after `npm run build`:  node scripts/check-package.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'wordforge-package-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
try {
  run('npm', ['pack', '--silent', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  console.log(`tarball ${tarball}: ${(statSync(join(work, tarball)).size / 1024).toFixed(0)} KB`);
  // Types resolve for ESM and CommonJS consumers (node10 resolution is out of scope: engines >= 20),
  // and the package.json fields follow the packaging rules publint checks.
  run(join(root, 'node_modules/.bin/attw'), [join(work, tarball), '--profile', 'node16', '--format', 'ascii'], root);
  run(join(root, 'node_modules/.bin/publint'), ['--strict'], root);
  console.log('are-the-types-wrong (node16 profile) and publint --strict: clean');
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], work);

  const tfjsFree = ['wordforge/tokenizers', 'wordforge/data', 'wordforge/metrics'];
  const smoke = (load) => `
    const free = ${JSON.stringify(tfjsFree)};
    for (const entry of free) {
      const m = await ${load('entry')};
      if (Object.keys(m).length < 3) throw new Error(entry + ' exports almost nothing');
    }
    if (globalThis._tfengine !== undefined) throw new Error('a tfjs-free entry loaded tfjs');
    const w = await ${load("'wordforge'")};
    const { CharTokenizer } = await ${load("'wordforge/tokenizers'")};
    await w.initBackend();
    const tok = CharTokenizer.fromText('hello world, 你好世界');
    const ids = Int32Array.from(tok.encode('hello world, 你好世界 '.repeat(20)));
    const model = new w.GPTCausalLM({ vocabSize: tok.vocabSize, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8 });
    const optimizer = new w.AdamW(model.namedParameters(), { learningRate: 1e-2 });
    const rng = new w.Rng(0);
    const logs = await w.trainLoop(model, { optimizer, steps: 20, logEvery: 10, nextBatch: () => w.sampleWindows(ids, { batchSize: 4, seqLength: 8, rng }) });
    if (!(logs[1].loss < logs[0].loss)) throw new Error('loss did not fall: ' + logs.map((l) => l.loss));
    const [out] = await model.generate([tok.encode('he')], { maxNewTokens: 5 });
    if (out.length !== 5) throw new Error('generate returned ' + out);
    model.dispose(); optimizer.dispose();
    console.log('ok', w.BACKEND_NAMES.length > 0, tok.decode(out).length);
  `;
  writeFileSync(join(work, 'esm.mjs'), smoke((e) => `import(${e})`));
  writeFileSync(join(work, 'cjs.cjs'), `(async () => {${smoke((e) => `Promise.resolve(require(${e}))`)}})().catch((e) => { console.error(e); process.exit(1); });`);
  console.log(`ESM consumer: ${run('node', ['esm.mjs'], work).trim()}`);
  console.log(`CJS consumer: ${run('node', ['cjs.cjs'], work).trim()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
