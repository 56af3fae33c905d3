// `npm run bench`: every benchmark suite, each in its own process so that one's memory and
// kernels do not disturb the next.
//   npm run bench                                  # training (tiny, small) and tokenizers
//   npm run bench -- --config small                # the training suite only, for that config
//   npm run bench -- --suite tokenizers --mb 8     # one suite; --mb goes to bench/tokenizers.ts
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  strict: false,
  options: { suite: { type: 'string' }, mb: { type: 'string' }, config: { type: 'string' } },
});
// Naming a model config asks for the training suite alone, unless suites are named too.
const chosenSuites = values.suite ?? (values.config === undefined ? 'training,tokenizers' : 'training');
const passOn = process.argv.slice(2).filter((arg, i, all) => !['--suite', '--mb'].includes(arg) && !['--suite', '--mb'].includes(all[i - 1] ?? ''));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const suites: Record<string, string[]> = {
  training: [fileURLToPath(new URL('./train-speed.ts', import.meta.url)), ...passOn],
  tokenizers: [fileURLToPath(new URL('./tokenizers.ts', import.meta.url)), ...(typeof values.mb === 'string' ? [values.mb] : [])],
};
let failed = false;
for (const suite of String(chosenSuites).split(',')) {
  const args = suites[suite];
  if (!args) throw new Error(`unknown suite "${suite}" (known: ${Object.keys(suites).join(', ')})`);
  console.log(`\n== ${suite}`);
  failed ||= spawnSync(process.execPath, [tsx, ...args], { stdio: 'inherit' }).status !== 0;
}
process.exitCode = failed ? 1 : 0;
