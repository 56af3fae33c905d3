import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExamples, type ExampleError } from '../../scripts/docs/compile-examples.js';
import { exampleModule } from '../../scripts/docs/example-module.js';
import { extractExamples } from '../../scripts/docs/extract-examples.js';
import { extractMarkdownExamples } from '../../scripts/docs/extract-markdown-examples.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE_ROOT = resolve(import.meta.dirname, 'fixtures/example-project');

const format = (error: ExampleError): string => `${error.file}:${error.line}: ${error.message}`;

describe('doc example checker', () => {
  it('extracts ```ts blocks with their real first line and strips the comment prefix', () => {
    const text = [
      '/**', ' * Doc.', ' * @example', ' * ```ts', ' * const a = 1;', ' *   const b = 2;', ' * ```', ' * ```text', ' * not code', ' * ```', ' */',
      'export const a = 1;',
    ].join('\n');
    const { examples, problems } = extractExamples('a.ts', text);
    expect(examples).toEqual([{ file: 'a.ts', line: 5, code: 'const a = 1;\n  const b = 2;' }]);
    expect(problems).toEqual([]);
  });

  it('ignores comment-like text in strings and reports an unclosed fence', () => {
    const text = ["const s = '/** ```ts\\n bad */';", '/**', ' * ```ts', ' * const x = 1;', ' */', 'export const x = 1;'].join('\n');
    const { examples, problems } = extractExamples('b.ts', text);
    expect(examples).toEqual([]);
    expect(problems).toEqual([{ file: 'b.ts', line: 3, message: 'code fence is never closed' }]);
  });

  it('imports only the library names a snippet uses without declaring them', () => {
    const importable = { publicNames: new Map([['Rng', 'wordforge'], ['bleu', 'wordforge/metrics']]), ownNames: new Set(['helper']), ownSpecifier: './own.js' };
    const module = exampleModule('const Rng = 1;\nbleu(helper(tf.scalar(Rng)));', importable);
    expect(module.text.split('\n')).toEqual([
      "import { bleu } from 'wordforge/metrics';",
      "import { helper } from './own.js';",
      "import * as tf from '@tensorflow/tfjs-core';",
      'const Rng = 1;',
      'bleu(helper(tf.scalar(Rng)));',
    ]);
    expect(module.headerLines).toBe(3);
  });

  it('groups Markdown ```ts blocks with the blocks that continue them, within a # or ## section', () => {
    const text = [
      '# A', '```ts', 'const a = 1;', '```', '### A.1', '```sh', 'ls', '```', '```ts', '// continues', 'a;', '```',
      '## B', '  ```typescript', '  const b =', '    2;', '  ```', '```ts', '// continues', '```', '```ts',
    ].join('\n');
    const { modules, problems } = extractMarkdownExamples('g.md', text);
    expect(modules).toEqual([
      [{ file: 'g.md', line: 3, code: 'const a = 1;' }, { file: 'g.md', line: 10, code: '// continues\na;' }],
      [{ file: 'g.md', line: 15, code: 'const b =\n  2;' }, { file: 'g.md', line: 19, code: '// continues' }],
    ]);
    expect(problems).toEqual([{ file: 'g.md', line: 21, message: 'code fence is never closed' }]);
  });

  it('reports each fault at its source line and passes the examples that compile', () => {
    const result = checkExamples(FIXTURE_ROOT);
    expect(result.examples).toBe(8);
    expect(result.errors.map(format)).toEqual([
      "docs/guides/lists.md:16: TS2322: Type 'string' is not assignable to type 'number'.",
      "README.md:22: TS2322: Type 'number' is not assignable to type 'string'.",
      "README.md:26: TS2304: Cannot find name 'double'.",
      'README.md:32: // continues, but no ```ts block before it in its section',
      "src/math.ts:20: TS2322: Type 'number' is not assignable to type 'string'.",
      "src/math.ts:31: TS2304: Cannot find name 'tally'.",
      'src/math.ts:38: @example has no ```ts block to check',
    ]);
  });
});

describe('wordforge doc examples', () => {
  it('every ```ts block in the TSDoc of src, README.md and the guides compiles', () => {
    const { examples, errors } = checkExamples(REPO_ROOT);
    expect(examples).toBeGreaterThan(850);
    expect(errors.map(format)).toEqual([]);
  });
});
