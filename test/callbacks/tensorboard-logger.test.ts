import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TensorBoardLogger } from '../../src/callbacks/tensorboard-logger.js';
import type { TrainerState } from '../../src/callbacks/callback.js';
import { readEventFile } from './tensorboard-reader.js';

describe('TensorBoardLogger', () => {
  it('writes train/ and eval/ scalars and text samples that an independent reader decodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordforge-tb-'));
    const state: TrainerState = { step: 10, epoch: 0, maxSteps: 10, logHistory: [] };
    const logger = new TensorBoardLogger({ logDir: dir, sample: () => '床前明月光' });
    await logger.onTrainBegin();
    logger.onLog({ step: 5, epoch: 0, metrics: { loss: 2.5, learning_rate: 0.001 } });
    await logger.onEvaluate({ step: 10, epoch: 0, metrics: { eval_loss: 2.25, eval_perplexity: Math.exp(2.25) } }, state);
    await logger.onTrainEnd();
    const [file] = readdirSync(dir);
    const events = await readEventFile(join(dir, file!));
    const values = events.flatMap((e) => (e.summary?.value ?? []).map((v) => ({ step: e.step, ...v })));
    expect(values.find((v) => v.tag === 'train/loss')).toMatchObject({ step: 5, simple_value: 2.5 });
    expect(values.find((v) => v.tag === 'eval/loss')).toMatchObject({ step: 10, simple_value: 2.25 });
    expect(values.find((v) => v.tag === 'eval/perplexity')?.simple_value).toBeCloseTo(Math.exp(2.25), 4);
    const text = values.find((v) => v.tag === 'samples') as { tensor?: { string_val?: Uint8Array[] } } | undefined;
    expect(Buffer.from(text!.tensor!.string_val![0]!).toString('utf8')).toBe('床前明月光');
    rmSync(dir, { recursive: true, force: true });
  });
});
