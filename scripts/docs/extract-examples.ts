// Finds the ```ts code blocks inside the TSDoc comments of one source file. The TypeScript parser
// locates the comments (so strings, template literals and regexes that merely look like comments
// are never mistaken for them); the fence lines are then read from the comment's own source text,
// so every snippet line keeps its real line number in the file.
import ts from 'typescript';

/**
 * One ```ts block from a TSDoc comment, with where it sits in its source file.
 * @example
 * ```ts
 * const example: DocExample = { file: 'src/schedules/step-lr.ts', line: 20, code: 'const lr = stepLR({ baseLr: 1, stepSize: 30 });' };
 * ```
 */
export interface DocExample {
  /** The source file, as given to {@link extractExamples}. */
  readonly file: string;
  /** 1-based line of the first code line (the line after the opening fence) in the source file. */
  readonly line: number;
  /** The code, with the comment's leading ` * ` removed from every line. */
  readonly code: string;
}

/**
 * Why a doc example fails: it does not compile, or its comment cannot be checked (an unclosed
 * fence, an `@example` with no ```ts block).
 * @example
 * ```ts
 * const error: ExampleError = { file: 'src/training/trainer.ts', line: 100, message: "TS2304: Cannot find name 'model'." };
 * ```
 */
export interface ExampleError {
  /** Source file relative to the repository root, e.g. `src/training/trainer.ts`. */
  readonly file: string;
  /** 1-based line in that file. */
  readonly line: number;
  /** What is wrong; compiler messages on one line, prefixed with their code (`TS2304: ...`). */
  readonly message: string;
}

/**
 * Everything {@link extractExamples} found in one file.
 * @example
 * ```ts
 * const { examples, problems }: ExtractedExamples = extractExamples('src/a.ts', source);
 * ```
 */
export interface ExtractedExamples {
  /** The ```ts blocks, in file order. */
  readonly examples: DocExample[];
  /** Comments that cannot be checked. */
  readonly problems: ExampleError[];
}

const OPEN_TS_FENCE = /^```(ts|typescript)\s*$/;
const ANY_FENCE = /^```/;

/**
 * Every ```ts (or ```typescript) block inside the TSDoc comments of `text`, and the comments that
 * cannot be checked.
 * @example
 * ```ts
 * const { examples } = extractExamples('src/schedules/step-lr.ts', readFileSync('src/schedules/step-lr.ts', 'utf8'));
 * examples[0]?.line; // 20: the line after the opening fence
 * ```
 */
export function extractExamples(file: string, text: string): ExtractedExamples {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const examples: DocExample[] = [];
  const problems: ExampleError[] = [];
  for (const comment of docComments(source)) {
    const blocks = fencedBlocks(source, comment);
    examples.push(...blocks.examples.map((block) => ({ file, ...block })));
    problems.push(...blocks.problems.map((problem) => ({ file, ...problem })));
    for (const tag of comment.tags ?? []) {
      const tagLine = lineOf(source, tag.getStart(source));
      const hasBlock = blocks.examples.some((block) => block.line > tagLine && block.line <= lineOf(source, tag.end));
      if (tag.tagName.text === 'example' && !hasBlock) {
        problems.push({ file, line: tagLine, message: '@example has no ```ts block to check' });
      }
    }
  }
  return { examples, problems };
}

/** The distinct JSDoc comments the parser attached to any node of `source`, in file order. */
function docComments(source: ts.SourceFile): ts.JSDoc[] {
  const byStart = new Map<number, ts.JSDoc>();
  const visit = (node: ts.Node): void => {
    for (const part of ts.getJSDocCommentsAndTags(node)) {
      if (ts.isJSDoc(part)) byStart.set(part.pos, part);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...byStart.values()].sort((a, b) => a.pos - b.pos);
}

/** 1-based line of a character position. */
function lineOf(source: ts.SourceFile, position: number): number {
  return source.getLineAndCharacterOfPosition(position).line + 1;
}

/** A comment line without its `/**`, leading `*` and the one space after it. */
function commentContent(rawLine: string): string {
  return rawLine.replace(/^\s*(\/\*\*|\*(?!\/))? ?/, '').replace(/\s*\*\/\s*$/, '');
}

/** The ```ts blocks of one comment, read line by line from the source text. */
function fencedBlocks(source: ts.SourceFile, comment: ts.JSDoc): {
  examples: { line: number; code: string }[];
  problems: { line: number; message: string }[];
} {
  const firstLine = lineOf(source, comment.getStart(source));
  const rawLines = source.text.slice(comment.getStart(source), comment.end).split('\n');
  const examples: { line: number; code: string }[] = [];
  let open: { line: number; isTs: boolean; code: string[] } | undefined;
  rawLines.forEach((rawLine, index) => {
    const content = commentContent(rawLine);
    const line = firstLine + index;
    if (open === undefined) {
      if (ANY_FENCE.test(content.trim())) open = { line: line + 1, isTs: OPEN_TS_FENCE.test(content.trim()), code: [] };
      return;
    }
    if (content.trim() === '```') {
      if (open.isTs) examples.push({ line: open.line, code: open.code.join('\n') });
      open = undefined;
      return;
    }
    open.code.push(content);
  });
  const problems = open === undefined ? [] : [{ line: open.line - 1, message: 'code fence is never closed' }];
  return { examples, problems };
}
