import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Error codes of platforms that cannot open or fsync a directory (Windows, some network mounts). */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP']);

/** Makes a rename durable by syncing the directory entry, where the platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `path` so that a crash or a failed write never leaves a half-written file: the
 * bytes go to a uniquely named temporary file in the same directory, which is flushed to disk
 * (`fsync`) and then renamed over the target (an atomic replacement on POSIX file systems and
 * NTFS); the directory is then synced where the platform supports it, so the rename itself
 * survives a power loss. On failure the temporary file is removed and any existing file at `path`
 * is left exactly as it was. A replaced file takes the default permissions of a new file.
 *
 * @param path - the file to create or replace; its directory must exist
 * @param data - the bytes to write, or a string written as UTF-8
 * @throws the Node.js file-system error (with its `code`, e.g. `ENOENT` when the directory is
 *   missing) when the file cannot be written
 * @example
 * ```ts
 * await writeFileAtomic('run/config.json', JSON.stringify({ hiddenSize: 64 }));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await writeFileAtomicWith(path, (handle) => handle.writeFile(data));
}

/**
 * {@link writeFileAtomic} for content written piece by piece (a stream too large to hold in
 * memory): `write` receives the open temporary file and may write, seek and write again; once it
 * resolves, the file is synced and renamed over `path`. If `write` throws, the temporary file is
 * removed, any existing file at `path` is left as it was, and the error propagates.
 *
 * @param path - the file to create or replace; its directory must exist
 * @param write - writes the content through the file handle
 * @example
 * ```ts
 * declare const chunks: Uint8Array[];
 * await writeFileAtomicWith('corpus.bin', async (handle) => {
 *   for (const chunk of chunks) await handle.write(chunk);
 * });
 * ```
 */
export async function writeFileAtomicWith(path: string, write: (handle: FileHandle) => Promise<unknown>): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}
