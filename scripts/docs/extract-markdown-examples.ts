// Finds the ```ts code blocks of a Markdown file (README.md, the guides) and groups each block with
// the blocks it continues. See check-examples.ts for the rules a Markdown snippet follows.
import type { DocExample, ExampleError } from './extract-examples.js';

/**
 * The Markdown snippets of one file: each entry of `modules` is compiled as one module, the code of
 * its blocks joined in order (one block, or a block followed by the blocks that continue it).
 * @example
 * ```ts
 * const { modules, problems }: MarkdownExamples = extractMarkdownExamples('docs/guide.md', text);
 * ```
 */
export interface MarkdownExamples {
  /** The ```ts blocks, grouped into the modules they make, in file order. */
  readonly modules: (readonly DocExample[])[];
  /** Blocks that cannot be checked: an unclosed fence, a continuation with nothing to continue. */
  readonly problems: ExampleError[];
}

/**
 * The first line of a block that is compiled appended to the previous ```ts block of the same
 * section (the text under one `#` or `##` heading, its `###` subsections included) instead of on
 * its own.
 * @example
 * ```ts
 * '// continues\nmodel.dispose();'.startsWith(CONTINUES_MARKER); // true
 * ```
 */
export const CONTINUES_MARKER = '// continues';

const FENCE = /^(\s*)```\s*([\w-]*)\s*$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);
/** A heading that starts a section; `###` and deeper ones are subsections of it. */
const SECTION_HEADING = /^#{1,2}\s/;

/**
 * Every ```ts (or ```typescript) block of the Markdown `text`, grouped into modules by the
 * `// continues` rule, and the blocks that cannot be checked.
 * @example
 * ```ts
 * const { modules } = extractMarkdownExamples('README.md', '# Title\n\n```ts\nconst a = 1;\n```\n');
 * modules[0]?.[0]?.line; // 4: the line after the opening fence
 * ```
 */
export function extractMarkdownExamples(file: string, text: string): MarkdownExamples {
  const modules: DocExample[][] = [];
  const problems: ExampleError[] = [];
  let section = 0;
  let lastModuleSection = -1;
  let open: { line: number; indent: string; isTs: boolean; code: string[] } | undefined;
  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const fence = FENCE.exec(rawLine);
    if (open === undefined) {
      if (fence !== null) open = { line: line + 1, indent: fence[1] ?? '', isTs: TS_LANGUAGES.has(fence[2] ?? ''), code: [] };
      else if (SECTION_HEADING.test(rawLine)) section++;
      return;
    }
    if (fence !== null && fence[2] === '') {
      if (open.isTs) {
        const example = { file, line: open.line, code: open.code.join('\n') };
        const continues = example.code.trimStart().startsWith(CONTINUES_MARKER);
        const previous = modules.at(-1);
        if (!continues) modules.push([example]);
        else if (previous !== undefined && lastModuleSection === section) previous.push(example);
        else problems.push({ file, line: open.line, message: `${CONTINUES_MARKER}, but no \`\`\`ts block before it in its section` });
        lastModuleSection = section;
      }
      open = undefined;
      return;
    }
    open.code.push(rawLine.startsWith(open.indent) ? rawLine.slice(open.indent.length) : rawLine);
  });
  if (open !== undefined) problems.push({ file, line: open.line - 1, message: 'code fence is never closed' });
  return { modules, problems };
}
