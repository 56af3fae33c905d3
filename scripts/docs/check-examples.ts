// Compile-checks every ```ts block in the TSDoc comments of src/**/*.ts and in README.md,
// docs/guide.md and docs/guides/*.md (```sh, ```json, ```text... blocks are not checked).
//
//   npx tsx scripts/docs/check-examples.ts [path-prefix...]     e.g. src/training docs/guides README.md
//
// Each block becomes its own module (a virtual file beside its source file; nothing is written to
// disk) and all of them are type-checked in one ts.createProgram run with tsconfig.json's options
// (strict, noUncheckedIndexedAccess, ...), as ES2022 modules, so top-level await works.
//
// What a snippet may leave out, to stay short:
// - imports of names the public entry points export ('wordforge', 'wordforge/tokenizers',
//   'wordforge/data', 'wordforge/metrics'): the checker adds `import { name } from 'wordforge'`
//   for every such name the snippet uses but does not declare itself;
// - imports of internal helpers that are not public: a name exported by the very source file the
//   comment sits in is imported from that file;
// - `import * as tf from '@tensorflow/tfjs-core'` when it uses `tf`.
// Anything else the snippet assumes (a `model`, a `trainer`, a batch...) it declares itself,
// `declare const model: GPTCausalLM;`, which documents what it assumes and is valid TypeScript.
// Snippets may import from the four entry points and '@tensorflow/tfjs-core' explicitly too.
//
// Markdown snippets are what users copy, so nothing is added to them: each carries its own imports
// (from the four entry points, '@tensorflow/tfjs-core' and node builtins) and declares what it
// assumes. Only where the page says a value comes from elsewhere (a model loaded in an earlier
// section, a variable of a runnable example the page quotes) does a snippet declare it,
// `declare const model: GPTCausalLM;`; prefer snippets that build what they use. One exception
// keeps a page's walk-through readable: a block whose first line is the comment `// continues` is
// compiled appended to the previous ```ts block of the same section (under the same `#` or `##`
// heading; `###` subsections belong to their section), so it sees that block's imports and
// variables; its errors still point at its own lines.
//
// Prints one line per error, `src/file.ts:line: TS<code>: message` (or `README.md:line: ...`) with
// the real line of the source file, then a summary; exits 1 when there is any error.
import { relative, resolve } from 'node:path';
import { checkExamples } from './compile-examples.js';

const root = resolve(import.meta.dirname, '../..');
const prefixes = process.argv.slice(2).map((prefix) => relative(root, resolve(prefix)));
const started = performance.now();
const result = checkExamples(root, prefixes);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
for (const error of result.errors) console.log(`${error.file}:${error.line}: ${error.message}`);
const failing = new Set(result.errors.map((error) => `${error.file}:${error.line}`)).size;
console.log(`${result.errors.length} errors at ${failing} lines; ${result.examples} examples in ${result.files} files checked in ${seconds} s`);
process.exitCode = result.errors.length > 0 ? 1 : 0;
