import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { assert } from '../../utils/assert.js';
import { DataError } from '../../utils/errors.js';

const GLOB_CHARS = /[*?{}[\]]/;

/** Translates one brace-free-or-braced piece of a glob into regex source. */
function translate(glob: string, whole: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') { // `**`: any number of directories (as a whole segment) or any text
        const segment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
        if (segment && glob[i + 2] === '/') { out += '(?:[^/]*/)*'; i += 2; } else { out += '.*'; i += 1; }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      assert(close > 0, DataError, () => `glob ${JSON.stringify(whole)} has an unclosed '['`);
      const body = glob.slice(i + 1, close);
      const negated = body.startsWith('!');
      out += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '{') {
      let depth = 0;
      let close = -1;
      const options: string[] = [];
      let from = i + 1;
      for (let j = i; j < glob.length && close < 0; j++) {
        if (glob[j] === '{') depth++;
        else if (glob[j] === '}' && --depth === 0) close = j;
        else if (glob[j] === ',' && depth === 1) { options.push(glob.slice(from, j)); from = j + 1; }
      }
      assert(close > 0, DataError, () => `glob ${JSON.stringify(whole)} has an unclosed '{'`);
      options.push(glob.slice(from, close));
      out += `(?:${options.map((o) => translate(o, whole)).join('|')})`;
      i = close;
    } else out += c.replace(/[.+^$()|\\}\]]/g, '\\$&');
  }
  return out;
}

/**
 * Compiles a glob into a regular expression over `/`-separated paths: `*` matches within one path
 * segment, `**` as a whole segment matches any number of directories (`a/**\/b` matches `a/b` and
 * `a/x/y/b`), `?` one character, `[abc]` / `[!abc]` a character class, `{a,b}` alternatives
 * (nestable).
 * @param glob - the pattern, with `/` as separator
 * @example
 * ```ts
 * globToRegExp('data/**\/*.{txt,md}').test('data/a/b/c.md'); // true
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob, glob)}$`, 'u');
}

/**
 * Options of {@link expandPaths}.
 * @example
 * ```ts
 * const options: ExpandPathsOptions = { recursive: false };
 * ```
 */
export interface ExpandPathsOptions {
  /** When a path is a folder: read the files below it at any depth (true, the default) or only its own files. */
  readonly recursive?: boolean;
  /** Include files and folders whose names start with `.` (default false). */
  readonly dot?: boolean;
}

async function listFiles(dir: string, recursive: boolean, dot: boolean, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!dot && entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { if (recursive) await listFiles(path, recursive, dot, out); }
    else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path)).isFile())) out.push(path);
  }
}

/** The folder a glob's matches all lie below: its leading segments that hold no glob characters. */
function globRoot(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARS.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.length === 0 ? '.' : fixed.join('/') || '/';
}

/**
 * The files named by paths, folders and globs, sorted and without repeats. A plain path must exist;
 * a folder gives the files below it; a glob (holding `*`, `?`, `[`, `{`) gives the files it
 * matches and must match at least one. Errors are {@link DataError}s naming the pattern.
 * @param patterns - file paths, folder paths or globs (`/` as separator)
 * @param options - recursion into folders and dot files
 * @example
 * ```ts
 * await expandPaths(['corpus/**\/*.txt', 'extra.jsonl']);
 * ```
 */
export async function expandPaths(patterns: string | readonly string[], options: ExpandPathsOptions = {}): Promise<string[]> {
  const recursive = options.recursive ?? true;
  const dot = options.dot ?? false;
  const found = new Set<string>();
  for (const given of typeof patterns === 'string' ? [patterns] : patterns) {
    const pattern = given.replace(/^(\.\/)+/, '');
    const files: string[] = [];
    if (GLOB_CHARS.test(pattern)) {
      const root = globRoot(pattern);
      const regex = globToRegExp(pattern);
      const candidates: string[] = [];
      await listFiles(root, true, dot, candidates).catch(() => undefined);
      for (const file of candidates) if (regex.test(file.split(sep).join('/'))) files.push(file);
      assert(files.length > 0, DataError, () => `no files match ${JSON.stringify(pattern)} (below ${resolve(root)})`);
    } else {
      const info = await stat(pattern).catch(() => undefined);
      assert(info !== undefined, DataError, () => `no such file or folder: ${JSON.stringify(pattern)}`);
      if (info.isDirectory()) await listFiles(pattern, recursive, dot, files);
      else files.push(pattern);
    }
    for (const file of files.sort()) found.add(file);
  }
  return [...found];
}
