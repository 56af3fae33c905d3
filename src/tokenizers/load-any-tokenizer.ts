import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CharTokenizer } from './char-tokenizer.js';
import { loadTokenizer } from './load-tokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Loads a tokenizer file or folder that may hold either kind wordforge writes: a `CharTokenizer`
 * JSON (as `wordforge train` saves it) or anything {@link loadTokenizer} reads (Hugging Face
 * `tokenizer.json`, `vocab.json` + `merges.txt`, `vocab.txt`, SentencePiece `.model`).
 * @param path - a tokenizer file, or a folder holding one
 * @returns a `CharTokenizer` or a `Tokenizer`
 * @throws ConfigError as {@link loadTokenizer} for missing or malformed files
 * @example
 * ```ts
 * const tokenizer = await loadAnyTokenizer('runs/gpt');
 * const ids = tokenizer instanceof CharTokenizer ? tokenizer.encode('hi') : tokenizer.encode('hi').ids;
 * ```
 */
export async function loadAnyTokenizer(path: string): Promise<Tokenizer | CharTokenizer> {
  const isFolder = await stat(path).then((s) => s.isDirectory(), () => false);
  const json = isFolder ? join(path, 'tokenizer.json') : path;
  const text = await readFile(json, 'utf8').catch(() => undefined);
  if (text !== undefined && text.includes('"CharTokenizer"')) return CharTokenizer.fromJSON(text);
  return loadTokenizer(path);
}
