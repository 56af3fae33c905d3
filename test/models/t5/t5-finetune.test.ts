import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeModelFolder } from '../../../src/io/model-folder.js';
import { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';
import { AdamW } from '../../../src/training/adamw.js';
import { trainLoop } from '../../../src/training/train-loop.js';
import { caseLogits, fixtureCases, fixtureDir, haveFixtures, seq2seqBatch } from './t5-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-t5-tune-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveFixtures)('T5Seq2SeqLM fine-tuning', () => {
  it('fine-tunes a loaded checkpoint with AdamW: loss falls; save and reload (HF folder, checkpoint folder) give the same logits', async () => {
    const model = await T5Seq2SeqLM.fromHuggingFace(fixtureDir('t5'));
    const batch = seq2seqBatch([[5, 6, 7, 8, 1], [9, 10, 11, 1, 0]], [[20, 21, 22, 1], [23, 24, 1, -100]], [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]]);
    const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3 });
    const logs = await trainLoop(model, { optimizer, steps: 20, logEvery: 1, nextBatch: () => batch });
    expect(logs.at(-1)!.loss).toBeLessThan(logs[0]!.loss * 0.5);
    const dir = join(tmp, 'tuned');
    await model.save(dir);
    const again = await T5Seq2SeqLM.load(dir);
    const c = fixtureCases('t5')[1]!;
    const tuned = await caseLogits(model, c);
    expect((await caseLogits(again, c)).data).toEqual(tuned.data);
    // A Trainer checkpoint folder: our config.json, weights under our parameter names.
    const checkpoint = join(tmp, 'checkpoint');
    await writeModelFolder(checkpoint, JSON.parse(model.checkpointFiles()['config.json']!), model.stateDict());
    const resumed = await T5Seq2SeqLM.load(checkpoint);
    expect((await caseLogits(resumed, c)).data).toEqual(tuned.data);
    resumed.dispose();
    optimizer.dispose();
    again.dispose();
    model.dispose();
  });
});
