import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Callback, TrainerState } from '../../src/callbacks/callback.js';
import { HtmlReport } from '../../src/callbacks/html-report.js';
import type { CausalLMBatch } from '../../src/data/causal-lm-batch.js';
import { randomWindowSource } from '../../src/data/random-window-source.js';
import { sampleWindows } from '../../src/data/sample-windows.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { AdamW } from '../../src/training/adamw.js';
import { Trainer } from '../../src/training/trainer.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { Rng } from '../../src/utils/rng.js';
import { chartScales, findAll, parseXml, polylinePoints, textOf, type XmlElement } from './html-report-xml.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-html-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tokens = Int32Array.from({ length: 600 }, (_, i) => (i * 7 + (i >> 2)) % 20);
const validation = [0, 1].map((i) => sampleWindows(tokens, { batchSize: 4, seqLength: 8, rng: new Rng(100 + i) }));

/** The chart box whose heading is `label`. */
function chart(html: XmlElement, label: string): XmlElement {
  const box = findAll(html, 'div').find((d) => d.attributes.class === 'chart-box' && textOf(findAll(d, 'h2')[0]!) === label);
  expect(box, `a chart for ${label}`).toBeDefined();
  return findAll(box!, 'svg')[0]!;
}

describe('HtmlReport', () => {
  it('reports a real training run: every metric charted at its logged values, summary, config, escaping, no URL', async () => {
    const before = tf.memory().numTensors;
    const path = join(tmp, 'run/report.html');
    const model = new GPTCausalLM({ vocabSize: 20, hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 8, seed: 3 });
    const optimizer = new AdamW(model.namedParameters(), { learningRate: (s) => 0.01 / (1 + s) });
    let evaluations = 0;
    const seenWhileTraining: string[] = [];
    const inodes = new Set<number>();
    const reader: Callback = {
      onEvaluate: (entry) => {
        const html = readFileSync(path, 'utf8'); // what a browser refresh would show now
        seenWhileTraining.push(html);
        inodes.add(statSync(path).ino);
        expect(html).toContain(`${entry.step} / 8`);
      },
    };
    const trainer = new Trainer<CausalLMBatch>({
      model, optimizer, train: randomWindowSource(tokens, { batchSize: 4, seqLength: 8, seed: 9 }),
      maxSteps: 8, logEvery: 2, maxGradNorm: 1, tokensInBatch: (b) => b.batchSize * b.seqLength,
      evaluation: {
        batches: () => validation, every: 4,
        metrics: () => ({ '<script>alert(1)</script>': 0.5, unstable: evaluations++ === 0 ? Number.NaN : 1 }),
      },
      checkpoint: { dir: join(tmp, 'checkpoints'), every: 100 },
      callbacks: [new HtmlReport({ path, title: 'tiny & "gpt"', config: { hiddenSize: 16, note: '<b>x</b>', schedule: { warmup: 0 } } }), reader],
    });
    const state = await trainer.train();
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);

    expect(readdirSync(join(tmp, 'run'))).toEqual(['report.html']); // no temporary file left behind
    expect(seenWhileTraining).toHaveLength(2);
    expect(inodes.size).toBe(2); // each rewrite replaced the file (a rename), never edited it in place
    const source = readFileSync(path, 'utf8');
    expect(source).not.toMatch(/https?:|\/\/|<script|url\(|@import|\bsrc=|\bhref=/i);
    const html = parseXml(source);
    expect(html.name).toBe('html');
    expect(textOf(findAll(html, 'title')[0]!)).toBe('tiny & "gpt"');

    const history = state.logHistory;
    const valuesOf = (name: string): Array<[number, number]> => history.filter((e) => name in e.metrics).map((e) => [e.step, e.metrics[name]!]);
    const labels = findAll(html, 'h2').map(textOf);
    expect(labels).toEqual(['loss', 'learning_rate', 'grad_norm', 'tokens_per_second', 'ms_per_step', 'eval_perplexity',
      'eval_<script>alert(1)</script>', 'eval_unstable', 'Config']);
    for (const [label, names] of [['loss', ['loss', 'eval_loss']], ['learning_rate', ['learning_rate']], ['grad_norm', ['grad_norm']],
      ['tokens_per_second', ['tokens_per_second']], ['eval_perplexity', ['eval_perplexity']]] as const) {
      const svg = chart(html, label);
      const scales = chartScales(svg);
      const [, top, , height] = scales.plot as [number, number, number, number];
      const [yMin, yMax] = (svg.attributes['data-y-domain'] as string).split(' ').map(Number) as [number, number];
      const tolerance = ((yMax - yMin) / height) * 0.01; // two-decimal pixel coordinates
      for (const name of names) {
        const expected = valuesOf(name);
        const drawn = findAll(svg, 'circle').filter((c) => c.attributes['data-series'] === name)
          .map((c) => [Math.round(scales.step(Number(c.attributes.cx))), scales.value(Number(c.attributes.cy))] as const);
        expect(drawn.map(([step]) => step), `${label}/${name} steps`).toEqual(expected.map(([step]) => step));
        drawn.forEach(([, value], i) => expect(Math.abs(value - expected[i]![1])).toBeLessThanOrEqual(tolerance));
        const line = findAll(svg, 'polyline').find((p) => p.attributes['data-series'] === name);
        expect(polylinePoints(line!).every(([, y]) => y >= top - 1e-9 && y <= top + height + 1e-9)).toBe(true);
      }
    }
    const domains = new Set(findAll(html, 'svg').map((svg) => svg.attributes['data-x-domain']));
    expect([...domains]).toEqual(['2 8']); // evaluation charts (steps 4, 8) share the run's step axis (logs at 2, 4, 6, 8)
    const losses = valuesOf('loss').map(([, v]) => v);
    const lossLine = polylinePoints(findAll(chart(html, 'loss'), 'polyline').find((p) => p.attributes['data-series'] === 'loss')!);
    // the higher loss is drawn higher on the page, i.e. with the smaller y
    expect(Math.sign(lossLine[0]![1] - lossLine.at(-1)![1])).toBe(-Math.sign(losses[0]! - losses.at(-1)!));

    expect(source).toContain('eval_&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(findAll(html, 'path').filter((p) => p.attributes.class === 'skipped').map(textOf)).toEqual(['eval_unstable at step 4: NaN (not plotted)']);

    const summary = Object.fromEntries(findAll(findAll(html, 'table')[0]!, 'tr').map((row) => [textOf(findAll(row, 'th')[0]!), textOf(findAll(row, 'td')[0]!)]));
    expect(summary.status).toBe('finished');
    expect(summary.steps).toBe('8 / 8');
    expect(summary.best).toMatch(new RegExp(`^eval_loss = [\\d.]+ at step ${state.best!.step}$`));
    expect(summary['stop reason']).toBe('reached maxSteps (8)');
    expect(summary['wall time']).toMatch(/^\d+\.\d s$/);
    const config = findAll(html, 'table')[1]!;
    expect(findAll(config, 'pre').map(textOf)).toEqual(['16', '<b>x</b>', '{\n  "warmup": 0\n}']);
  });

  it('rewrites only every n entries while training, and always at the end', async () => {
    const path = join(tmp, 'throttled/report.html');
    const report = new HtmlReport({ path, every: 3 });
    const logHistory: Array<{ step: number; epoch: number; metrics: Record<string, number> }> = [];
    const state: TrainerState = { step: 0, epoch: 0, maxSteps: 10, logHistory };
    await report.onTrainBegin(state);
    expect(readFileSync(path, 'utf8')).toContain('No metrics logged yet.');
    for (let step = 1; step <= 4; step++) {
      const entry = { step, epoch: 0, metrics: { loss: 5 - step } };
      logHistory.push(entry);
      await report.onLog(entry, { ...state, step });
      const charted = findAll(parseXml(readFileSync(path, 'utf8')), 'circle').length;
      expect(charted, `after step ${step}`).toBe(step < 3 ? 0 : 3);
    }
    await report.onTrainEnd({ ...state, step: 4, stopReason: 'done' });
    const html = parseXml(readFileSync(path, 'utf8'));
    expect(findAll(html, 'circle')).toHaveLength(4);
    expect(textOf(html)).toContain('finished');
    expect(() => new HtmlReport({ path, every: 0 })).toThrowError(RangeArgumentError);
    expect(() => new HtmlReport({ path, every: 1.5 })).toThrowError('HtmlReport every (1.5) must be an integer >= 1');
  });

  it('draws the loss chart on a log scale on request, and reloads itself only while running', () => {
    const report = new HtmlReport({ path: join(tmp, 'unused.html'), logScaleLoss: true, autoRefreshSeconds: 15 });
    const history = [1, 2, 3].map((step) => ({ step, epoch: 0, metrics: { loss: 10 ** (1 - step), learning_rate: 0.1 } }));
    const state = { step: 3, epoch: 0, maxSteps: 3, logHistory: history };
    const html = parseXml(report.render(state, false));
    expect(chart(html, 'loss').attributes['data-y-scale']).toBe('log');
    expect(chart(html, 'learning_rate').attributes['data-y-scale']).toBe('linear');
    expect(textOf(html)).toContain('running');
    const refresh = (page: XmlElement) => findAll(page, 'meta').find((m) => m.attributes['http-equiv'] === 'refresh')?.attributes.content;
    expect(refresh(html)).toBe('15');
    expect(refresh(parseXml(report.render(state, true)))).toBeUndefined();
    expect(refresh(parseXml(new HtmlReport({ path: join(tmp, 'unused.html') }).render(state, false)))).toBeUndefined();
    expect(() => new HtmlReport({ path: join(tmp, 'unused.html'), autoRefreshSeconds: 0 })).toThrowError('HtmlReport autoRefreshSeconds (0) must be an integer >= 1');
  });

  it('shows the latest samples with their step, escaped, taken at each evaluation and at the end', async () => {
    const path = join(tmp, 'samples/report.html');
    const report = new HtmlReport({ path, samples: () => [`<b>step</b> & 床前明月光 ${calls++}`] });
    let calls = 0;
    const history = [{ step: 4, epoch: 0, metrics: { eval_loss: 2 } }];
    await report.onTrainBegin({ step: 0, epoch: 0, maxSteps: 8, logHistory: [] });
    expect(calls).toBe(0);
    await report.onEvaluate(history[0]!, { step: 4, epoch: 0, maxSteps: 8, logHistory: history });
    await report.onTrainEnd({ step: 8, epoch: 0, maxSteps: 8, logHistory: history });
    expect(calls).toBe(2);
    const html = parseXml(readFileSync(path, 'utf8'));
    const heading = findAll(html, 'h2').map(textOf).find((t) => t.startsWith('Samples'));
    expect(heading).toBe('Samples at step 8');
    expect(findAll(html, 'pre').map(textOf)).toContain('<b>step</b> & 床前明月光 1');
  });
});
