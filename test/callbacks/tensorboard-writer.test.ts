import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TensorBoardWriter } from '../../src/callbacks/tensorboard/index.js';
import { ConfigError, RangeArgumentError, WordforgeError } from '../../src/utils/errors.js';
import { decodeEvent, readEventFile, readTfRecords } from './tensorboard-reader.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'wordforge-tb-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

const utf8 = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

describe('TensorBoardWriter', () => {
  it('creates the directory and a file named as TensorBoard names them, starting with file_version', async () => {
    const before = Math.floor(Date.now() / 1000);
    const options = { hostname: 'box', filenameSuffix: '.train' };
    const writer = await TensorBoardWriter.open(join(root, 'runs', 'exp1'), options);
    await writer.close();
    const after = Math.floor(Date.now() / 1000);
    const match = /^events\.out\.tfevents\.(\d{10})\.box\.(\d+)\.0\.train$/.exec(basename(writer.path));
    expect(match).not.toBeNull();
    const defaults = await TensorBoardWriter.open(root, { filenameSuffix: undefined, hostname: undefined });
    await defaults.close();
    expect(basename(defaults.path)).toMatch(/^events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.0$/);
    expect(Number(match![1])).toBeGreaterThanOrEqual(before);
    expect(Number(match![1])).toBeLessThanOrEqual(after);
    expect(Number(match![2])).toBe(process.pid);
    expect(await readdir(join(root, 'runs', 'exp1'))).toEqual([basename(writer.path)]);
    const [first, ...rest] = await readEventFile(writer.path);
    expect(first!.file_version).toBe('brain.Event:2');
    expect(first!.wall_time).toBeGreaterThanOrEqual(before);
    expect(rest).toEqual([]);
  });

  it('writes scalars with their tags, values, steps and wall times', async () => {
    const writer = await TensorBoardWriter.open(root);
    writer.addScalar('train/loss', 2.5, 0, 1000.5);
    writer.addScalar('train/loss', NaN, 1, 1001);
    writer.addScalars(2, { 'train/loss': 1.25, 'train/lr': 3e-4, 'eval/ppl': Infinity }, 1002);
    writer.addScalars(3, {});
    const start = Date.now() / 1000;
    writer.addScalar('train/loss', 0.5, 4);
    await writer.close();
    const [, ...events] = await readEventFile(writer.path);
    expect(events.map((event) => [event.step ?? 0, event.summary?.value.map((v) => [v.tag, v.simple_value])])).toEqual([
      [0, [['train/loss', 2.5]]],
      [1, [['train/loss', NaN]]],
      [2, [['train/loss', 1.25], ['train/lr', Math.fround(3e-4)], ['eval/ppl', Infinity]]],
      [4, [['train/loss', 0.5]]],
    ]);
    expect(events.slice(0, 3).map((event) => event.wall_time)).toEqual([1000.5, 1001, 1002]);
    expect(events[3]!.wall_time).toBeGreaterThanOrEqual(start);
    expect(events[3]!.wall_time).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('writes text summaries for the text plugin', async () => {
    const writer = await TensorBoardWriter.open(root);
    writer.addText('samples/greedy', '# Once upon a time\n*ünïcødé* 🙂', 10, 5);
    writer.addText('samples/empty', '', 11, 6);
    await writer.close();
    const [, ...events] = await readEventFile(writer.path);
    const values = events.map((event) => event.summary!.value[0]!);
    expect(events.map((event) => event.step)).toEqual([10, 11]);
    expect(values.map((value) => value.tag)).toEqual(['samples/greedy', 'samples/empty']);
    expect(values.map((value) => value.metadata?.plugin_data?.plugin_name)).toEqual(['text', 'text']);
    expect(values.map((value) => value.tensor?.dtype)).toEqual([7, 7]);
    expect(values.map((value) => utf8(value.tensor?.string_val?.[0])))
      .toEqual(['# Once upon a time\n*ünïcødé* 🙂', '']);
  });

  it('writes histograms of 30 buckets', async () => {
    const writer = await TensorBoardWriter.open(root);
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    writer.addHistogram('weights/head', values, 3, 9);
    expect(() => writer.addHistogram('weights/head', [], 4)).toThrow(RangeArgumentError);
    await writer.close();
    const [, event] = await readEventFile(writer.path);
    const histo = event!.summary!.value[0]!.histo!;
    expect([event!.step, event!.wall_time, event!.summary!.value[0]!.tag]).toEqual([3, 9, 'weights/head']);
    expect(histo.bucket).toHaveLength(30);
    expect(histo.bucket.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(histo.num).toBe(1000);
    expect(histo.bucket_limit.at(-1)).toBe(histo.max);
    expect(histo.min).toBe(Math.min(...values));
  });

  it('buffers until flush and appends on every flush', async () => {
    const writer = await TensorBoardWriter.open(root, { flushEverySeconds: Infinity });
    writer.addScalar('a', 1, 1);
    expect(await readEventFile(writer.path)).toHaveLength(1);
    await writer.flush();
    expect(await readEventFile(writer.path)).toHaveLength(2);
    writer.addScalar('a', 2, 2);
    writer.addScalar('a', 3, 3);
    await Promise.all([writer.flush(), writer.flush()]);
    expect((await readEventFile(writer.path)).map((event) => event.step ?? 0)).toEqual([0, 1, 2, 3]);
    await writer.close();
  });

  it('flushes in the background every flushEverySeconds', async () => {
    const writer = await TensorBoardWriter.open(root, { flushEverySeconds: 0.02 });
    writer.addScalar('a', 1, 1);
    let events = await readEventFile(writer.path);
    for (let tries = 0; events.length < 2 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events = await readEventFile(writer.path);
    }
    expect(events.map((event) => event.summary?.value[0]?.tag)).toEqual([undefined, 'a']);
    await writer.close();
  });

  it('leaves every earlier whole record readable when the file is cut at any byte', async () => {
    const writer = await TensorBoardWriter.open(root);
    for (let step = 0; step < 5; step++) {
      writer.addScalars(step, { loss: 1 / (step + 1) }, 100 + step);
      writer.addText('sample', `text ${step}`, step, 100 + step);
    }
    await writer.close();
    const bytes = await readFile(writer.path);
    const { records } = readTfRecords(bytes);
    const ends = records.map((record) => record.byteOffset - bytes.byteOffset + record.length + 4);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { records: kept, tail } = readTfRecords(bytes.subarray(0, cut));
      const whole = ends.filter((end) => end <= cut).length;
      expect(kept).toHaveLength(whole);
      expect(tail).toBe(cut - (whole === 0 ? 0 : ends[whole - 1]!));
      kept.forEach((record, i) => expect(decodeEvent(record)).toEqual(decodeEvent(records[i]!)));
    }
  });

  it('gives several writers in one directory distinct files', async () => {
    const writers = await Promise.all(Array.from({ length: 6 }, () => TensorBoardWriter.open(root, { hostname: 'h' })));
    writers.forEach((writer, i) => writer.addScalar('id', i, 0));
    await Promise.all(writers.map((writer) => writer.close()));
    const names = writers.map((writer) => basename(writer.path));
    expect(new Set(names).size).toBe(6);
    expect((await readdir(root)).sort()).toEqual([...names].sort());
    for (const [i, writer] of writers.entries()) {
      expect((await readEventFile(writer.path))[1]!.summary!.value[0]!.simple_value).toBe(i);
    }
  });

  it('rejects bad tags, steps, values and wall times with the values in the message', async () => {
    const writer = await TensorBoardWriter.open(root);
    expect(() => writer.addScalar('', 1, 0)).toThrow(new RangeArgumentError('tag must be a non-empty string, got ""'));
    expect(() => writer.addScalars(0, { ok: 1, '': 2 })).toThrow(RangeArgumentError);
    expect(() => writer.addText(7 as unknown as string, 'x', 0)).toThrow(/got 7/);
    expect(() => writer.addScalar('loss', 1, -1))
      .toThrow(new RangeArgumentError('step (-1) must be a non-negative integer'));
    expect(() => writer.addScalar('loss', 1, 1.5)).toThrow(/step \(1\.5\)/);
    expect(() => writer.addScalar('loss', 1, 2 ** 53)).toThrow(RangeArgumentError);
    expect(() => writer.addScalar('loss', '1' as unknown as number, 0))
      .toThrow(/value of 'loss' must be a number, got "1"/);
    expect(() => writer.addText('t', null as unknown as string, 0)).toThrow(/text of 't' must be a string, got null/);
    expect(() => writer.addScalar('loss', 1, 0, NaN)).toThrow(/wallTime \(NaN\)/);
    await writer.close();
    expect(await readEventFile(writer.path)).toHaveLength(1);
  });

  it('rejects bad options before creating anything', async () => {
    const dir = join(root, 'never');
    await expect(TensorBoardWriter.open(dir, { filenameSuffix: '/x' })).rejects.toThrow(
      new ConfigError('filenameSuffix must be a string without path separators, got "/x"'));
    await expect(TensorBoardWriter.open(dir, { hostname: 'a\\b' })).rejects.toThrow(ConfigError);
    await expect(TensorBoardWriter.open(dir, { flushEverySeconds: 0 })).rejects.toThrow(/flushEverySeconds \(0\)/);
    await expect(TensorBoardWriter.open(dir, { flushEverySeconds: NaN })).rejects.toThrow(ConfigError);
    await expect(TensorBoardWriter.open(dir, { flushEverySeconds: 1e7 })).rejects.toThrow(ConfigError);
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses writes after close, and closing twice is harmless', async () => {
    const writer = await TensorBoardWriter.open(root);
    writer.addScalar('a', 1, 1);
    await Promise.all([writer.close(), writer.close()]);
    await writer.close();
    expect(() => writer.addScalar('a', 2, 2)).toThrow(WordforgeError);
    expect(() => writer.addText('a', 'x', 2)).toThrow(/TensorBoardWriter for .* is closed/);
    await expect(writer.flush()).rejects.toThrow(WordforgeError);
    expect(await readEventFile(writer.path)).toHaveLength(2);
  });

  it('reports a failed background write on the next flush and on close', async () => {
    const probe = await open(join(root, 'probe'), 'w');
    const fileHandleClass = Object.getPrototypeOf(probe) as { writeFile: typeof probe.writeFile };
    await probe.close();
    const writer = await TensorBoardWriter.open(root, { flushEverySeconds: 0.01 });
    const diskFull = new Error('ENOSPC: no space left on device');
    const writeFile = vi.spyOn(fileHandleClass, 'writeFile').mockRejectedValue(diskFull);
    writer.addScalar('a', 1, 1);
    for (let tries = 0; writeFile.mock.calls.length === 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await expect(writer.flush()).rejects.toBe(diskFull);
    await expect(writer.close()).rejects.toBe(diskFull);
    expect(() => writer.addScalar('a', 2, 2)).toThrow(WordforgeError);
    expect(writeFile).toHaveBeenCalledTimes(1);
  });
});
