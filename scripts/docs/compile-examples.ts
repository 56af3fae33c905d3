// Type-checks every ```ts block in the TSDoc comments of src/**/*.ts and in the Markdown pages
// (README.md, docs/guide.md, docs/guides/*.md) in one ts.createProgram run. See check-examples.ts
// for the rules a snippet follows; this file is the checker the CLI and the test
// (test/docs/examples-compile.test.ts) share.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { exampleModule, type ExampleModule } from './example-module.js';
import { extractExamples, type DocExample, type ExampleError } from './extract-examples.js';
import { extractMarkdownExamples } from './extract-markdown-examples.js';
import { ModuleExports } from './module-exports.js';

export type { ExampleError } from './extract-examples.js';

/**
 * What {@link checkExamples} looked at and what failed.
 * @example
 * ```ts
 * const { files, examples, errors }: ExampleCheckResult = checkExamples(process.cwd());
 * ```
 */
export interface ExampleCheckResult {
  /** Source files and Markdown pages read. */
  readonly files: number;
  /** ```ts blocks checked. */
  readonly examples: number;
  /** Every failure, sorted by file and line; empty when all examples compile. */
  readonly errors: readonly ExampleError[];
}

/** Public entry points a snippet may import from, in the order their names are preferred. */
const PUBLIC_ENTRIES: readonly (readonly [specifier: string, file: string])[] = [
  ['wordforge', 'src/index.ts'],
  ['wordforge/tokenizers', 'src/tokenizers/index.ts'],
  ['wordforge/data', 'src/data/index.ts'],
  ['wordforge/metrics', 'src/metrics/index.ts'],
];

/** Markdown pages whose ```ts blocks are checked, besides every `.md` file in `docs/guides`. */
const MARKDOWN_PAGES: readonly string[] = ['README.md', 'docs/guide.md'];

/**
 * A snippet module placed as a virtual file beside its source file: `module.headerLines` lines of
 * added imports, then the code of `blocks` joined in order (more than one block only in Markdown,
 * where a block can continue the previous one).
 */
interface PlacedExample {
  readonly blocks: readonly DocExample[];
  readonly module: ExampleModule;
}

/**
 * Checks the examples of every `src/**\/*.ts` file and Markdown page under `root` whose
 * repository-relative path starts with one of `prefixes` (all of them when none is given).
 * @example
 * ```ts
 * checkExamples('/work/main', ['src/training']).errors.length; // 0 when they all compile
 * ```
 */
export function checkExamples(root: string, prefixes: readonly string[] = []): ExampleCheckResult {
  const selected = (file: string): boolean => prefixes.length === 0 || prefixes.some((prefix) => file.startsWith(prefix));
  const files = sourceFiles(root).filter(selected);
  const pages = markdownPages(root).filter(selected);
  const exports = new ModuleExports();
  const publicNames = new Map<string, string>();
  for (const [specifier, file] of PUBLIC_ENTRIES) {
    for (const name of exports.namesOf(resolve(root, file))) if (!publicNames.has(name)) publicNames.set(name, specifier);
  }
  const errors: ExampleError[] = [];
  const placed = new Map<string, PlacedExample>();
  for (const file of files) {
    const absolute = resolve(root, file);
    const { examples, problems } = extractExamples(file, readFileSync(absolute, 'utf8'));
    errors.push(...problems);
    const importable = { publicNames, ownNames: exports.namesOf(absolute), ownSpecifier: `./${basename(file, '.ts')}.js` };
    examples.forEach((example, index) => {
      const virtualPath = `${absolute.slice(0, -'.ts'.length)}.example-${index + 1}.ts`;
      placed.set(virtualPath, { blocks: [example], module: exampleModule(example.code, importable) });
    });
  }
  for (const page of pages) {
    const absolute = resolve(root, page);
    const { modules, problems } = extractMarkdownExamples(page, readFileSync(absolute, 'utf8'));
    errors.push(...problems);
    // Users copy these snippets: nothing is imported for them, they carry their own imports.
    modules.forEach((blocks, index) => {
      placed.set(`${absolute}.example-${index + 1}.ts`, { blocks, module: { text: blocks.map((block) => block.code).join('\n'), headerLines: 0 } });
    });
  }
  errors.push(...compileErrors(root, placed));
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const examples = [...placed.values()].reduce((count, { blocks }) => count + blocks.length, 0);
  return { files: files.length + pages.length, examples, errors };
}

/** `src/**\/*.ts` (declaration files excluded), relative to `root`, sorted. */
function sourceFiles(root: string): string[] {
  return readdirSync(resolve(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join('src', file))
    .sort();
}

/** {@link MARKDOWN_PAGES} and `docs/guides/*.md` that exist under `root`, relative to it, sorted. */
function markdownPages(root: string): string[] {
  const guides = resolve(root, 'docs/guides');
  const guidePages = existsSync(guides) ? readdirSync(guides).filter((file) => file.endsWith('.md')).map((file) => join('docs/guides', file)) : [];
  return [...MARKDOWN_PAGES.filter((page) => existsSync(resolve(root, page))), ...guidePages].sort();
}

/** tsconfig.json's compiler options, adjusted for snippet modules that are checked, not emitted. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = resolve(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  // Every snippet is a module (top-level await, its own scope) even when it imports nothing.
  return { ...parsed.options, noEmit: true, declaration: false, moduleDetection: ts.ModuleDetectionKind.Force };
}

/** Builds one Program over all virtual snippet modules and maps its diagnostics back to the sources. */
function compileErrors(root: string, placed: ReadonlyMap<string, PlacedExample>): ExampleError[] {
  const options = compilerOptions(root);
  const host = ts.createCompilerHost(options, true);
  const realGetSourceFile = host.getSourceFile.bind(host);
  const realFileExists = host.fileExists.bind(host);
  const realReadFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const virtual = placed.get(fileName);
    return virtual === undefined
      ? realGetSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, virtual.module.text, languageVersion, true);
  };
  host.fileExists = (fileName) => placed.has(fileName) || realFileExists(fileName);
  host.readFile = (fileName) => placed.get(fileName)?.module.text ?? realReadFile(fileName);
  const program = ts.createProgram({ rootNames: [...placed.keys()], options, host });
  const configErrors = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
    .map((diagnostic) => ({ file: relative(root, resolve(root, 'tsconfig.json')), line: 1, message: oneLine(diagnostic) }));
  const snippetErrors = [...placed].flatMap(([fileName, { blocks, module }]) => {
    const source = program.getSourceFile(fileName);
    if (source === undefined) return blocks.map((block) => ({ file: block.file, line: block.line, message: 'not part of the program' }));
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    return diagnostics.map((diagnostic) => {
      const moduleLine = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
      return { ...sourcePosition(blocks, moduleLine - module.headerLines), message: oneLine(diagnostic) };
    });
  });
  return [...configErrors, ...snippetErrors];
}

/** The file and line of the `codeLine`-th line (0-based) of `blocks` joined; the header's lines map to the first line. */
function sourcePosition(blocks: readonly DocExample[], codeLine: number): { file: string; line: number } {
  let remaining = Math.max(0, codeLine);
  for (const block of blocks) {
    const length = block.code.split('\n').length;
    if (remaining < length) return { file: block.file, line: block.line + remaining };
    remaining -= length;
  }
  const last = blocks.at(-1);
  if (last === undefined) throw new Error('a snippet module has no block');
  return { file: last.file, line: last.line + remaining };
}

/** `TS<code>: <message>` with the message chain flattened onto one line. */
function oneLine(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ')}`;
}
