// Long soak of a tiny GPT: `npx tsx scripts/reliability/soak.ts [steps] [tokens]` (default 3000
// steps, 10000 tokens) prints the tensor counts and RSS at start and end.
import { soak } from '../../test/reliability/soak.js';
import { useCpuBackend } from './cpu-backend.js';

const [steps = 3000, tokens = 10_000] = process.argv.slice(2).map(Number);
await useCpuBackend();
const f = await soak(steps, tokens);
console.log(`${f.steps} steps and ${f.generatedTokens} generated tokens in ${f.seconds.toFixed(1)} s`);
console.log(`tensors: ${f.tensorsStart} -> ${f.tensorsEnd} (leaked after dispose: ${f.tensorsLeaked})`);
console.log(`RSS: ${f.rssStartMB.toFixed(1)} MB -> ${f.rssEndMB.toFixed(1)} MB`);
console.log(`loss: ${f.firstLoss.toFixed(3)} -> ${f.lastLoss.toFixed(3)}`);
