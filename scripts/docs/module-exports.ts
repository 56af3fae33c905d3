// The names a TypeScript module exports, read from its syntax alone (following `export * from`
// into the files it names), so the example checker knows them before it builds its one Program.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Reads the export names of modules on disk, each file parsed at most once.
 * @example
 * ```ts
 * new ModuleExports().namesOf(resolve('src/index.ts')).has('GPTCausalLM'); // true
 * ```
 */
export class ModuleExports {
  private readonly cache = new Map<string, ReadonlySet<string>>();

  /**
   * The names `file` (an absolute path to a .ts file) exports, its re-exports included.
   * @example
   * ```ts
   * exports.namesOf(resolve('src/metrics/index.ts')).has('bleu'); // true
   * ```
   */
  namesOf(file: string): ReadonlySet<string> {
    const cached = this.cache.get(file);
    if (cached !== undefined) return cached;
    const names = new Set<string>();
    this.cache.set(file, names); // an export cycle ends here instead of recursing forever
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
    for (const statement of source.statements) {
      for (const name of this.statementExports(file, statement)) names.add(name);
    }
    return names;
  }

  private statementExports(file: string, statement: ts.Statement): Iterable<string> {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined) return this.namesOf(resolveRelativeModule(file, statement.moduleSpecifier));
      return ts.isNamespaceExport(clause) ? [clause.name.text] : clause.elements.map((element) => element.name.text);
    }
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    const has = (kind: ts.SyntaxKind): boolean => modifiers.some((modifier) => modifier.kind === kind);
    if (!has(ts.SyntaxKind.ExportKeyword) || has(ts.SyntaxKind.DefaultKeyword)) return [];
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
    }
    const named = statement as ts.Statement & { name?: ts.Node };
    return named.name !== undefined && ts.isIdentifier(named.name) ? [named.name.text] : [];
  }
}

/**
 * Every identifier a binding (plain name or destructuring pattern) declares.
 * @example
 * ```ts
 * bindingNames(declaration.name); // ['a', 'b'] for `const { a, b: [b] } = value`
 * ```
 */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** The .ts file a relative `./x.js` specifier in `fromFile` points at. */
function resolveRelativeModule(fromFile: string, specifier: ts.Expression | undefined): string {
  if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) {
    throw new Error(`${fromFile}: only relative "export * from './x.js'" can be followed`);
  }
  const base = resolve(dirname(fromFile), specifier.text.replace(/\.js$/, ''));
  const candidates = [`${base}.ts`, resolve(base, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`${fromFile}: cannot find ${candidates.join(' or ')}`);
  return found;
}
