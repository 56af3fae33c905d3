import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/utils/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wordforge-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes bytes and strings, replacing an existing file, leaving no temporary file', async () => {
    const target = join(dir, 'out.bin');
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    await writeFileAtomic(target, bytes.subarray(1, 5));
    expect([...(await readFile(target))]).toEqual([1, 2, 253, 254]);
    await writeFileAtomic(target, '唐诗 🎉 text');
    expect(await readFile(target, 'utf8')).toBe('唐诗 🎉 text');
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('survives concurrent writers: the target holds one complete version', async () => {
    const target = join(dir, 'race.txt');
    const versions = Array.from({ length: 8 }, (_, i) => String(i).repeat(10_000 + i));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    expect(versions).toContain(await readFile(target, 'utf8'));
    expect(await readdir(dir)).toEqual(['race.txt']);
  });

  it('throws when the directory is missing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'out.txt'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves the existing target untouched and removes the temporary file when writing fails', async () => {
    const target = join(dir, 'keep.txt');
    await writeFile(target, 'original');
    const notWritable = 42 as unknown as string;
    await expect(writeFileAtomic(target, notWritable)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('original');
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });

  it('leaves the target untouched and removes the temporary file when the rename fails', async () => {
    const target = join(dir, 'a-directory');
    await mkdir(target);
    await writeFile(join(target, 'inside.txt'), 'still here');
    await expect(writeFileAtomic(target, 'replacement')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['a-directory']);
    expect(await readFile(join(target, 'inside.txt'), 'utf8')).toBe('still here');
  });
});
