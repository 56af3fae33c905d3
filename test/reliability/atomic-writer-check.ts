// What a process killed while rewriting files (test/reliability/atomic-writer.child.ts) must
// leave: a whole model folder from one save, a loadable tokenizer.json and a well-formed
// metrics.csv. Shared by atomic-writes-crash.test.ts and scripts/reliability/report.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { loadTokenizer } from '../../src/tokenizers/load-tokenizer.js';

/**
 * Loads what the writer left in `dir` and throws (an assertion or a typed load error) unless every
 * file is whole; returns the step of the model folder found.
 */
export async function checkRewrittenFiles(dir: string): Promise<number> {
  const model = await GPTCausalLM.load(join(dir, 'model')); // throws on a torn file
  try {
    const ends = await Promise.all(model.namedParameters().map(async ([, v]) => {
      const data = await v.data();
      return [data[0], data[data.length - 1]];
    }));
    const step = ends[0]![0]!;
    assert.ok(step >= 1, `model weights hold step ${step}`);
    for (const [first, last] of ends) assert.deepEqual([first, last], [step, step], 'weights from more than one save');
    const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
    assert.match(tokenizer.idToToken(2) ?? '', /^step\d+$/);
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'step,epoch,loss');
    for (const line of csv.slice(1)) assert.equal(line.split(',').length, 3, `torn CSV line ${JSON.stringify(line)}`);
    return step;
  } finally {
    model.dispose();
  }
}
