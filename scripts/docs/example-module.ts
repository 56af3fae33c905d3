// Turns one doc snippet into a module the compiler can check: the snippet's text, preceded by an
// import for each name it uses without declaring that the library exports (see check-examples.ts).
import ts from 'typescript';
import { bindingNames } from './module-exports.js';

/**
 * Where the names a snippet may use without importing them come from.
 * @example
 * ```ts
 * const importable: ImportableNames = { publicNames: new Map([['Rng', 'wordforge']]), ownNames: new Set(['helper']), ownSpecifier: './rng.js' };
 * ```
 */
export interface ImportableNames {
  /** Name -> the public specifier that exports it ('wordforge', 'wordforge/tokenizers', ...). */
  readonly publicNames: ReadonlyMap<string, string>;
  /** Names exported by the source file the snippet's comment sits in. */
  readonly ownNames: ReadonlySet<string>;
  /** The specifier that imports the source file from the snippet module (`./trainer.js`). */
  readonly ownSpecifier: string;
}

/**
 * A snippet as a module: `text` is `headerLines` lines of imports followed by the snippet.
 * @example
 * ```ts
 * const { text, headerLines }: ExampleModule = exampleModule('new Rng(0);', importable);
 * ```
 */
export interface ExampleModule {
  readonly text: string;
  readonly headerLines: number;
}

/** The tfjs namespace snippets use as `tf`, as every tfjs guide writes it. */
const TFJS_NAMESPACE = { name: 'tf', specifier: '@tensorflow/tfjs-core' };

/**
 * The snippet `code` with imports added for the library names it uses but does not declare.
 * @example
 * ```ts
 * exampleModule('new Rng(0);', importable).text; // "import { Rng } from 'wordforge';\nnew Rng(0);"
 * ```
 */
export function exampleModule(code: string, importable: ImportableNames): ExampleModule {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const declared = topLevelNames(source);
  const namesBySpecifier = new Map<string, string[]>();
  let importsTf = false;
  for (const name of usedIdentifiers(source)) {
    if (declared.has(name)) continue;
    if (name === TFJS_NAMESPACE.name) importsTf = true;
    const specifier = importable.publicNames.get(name) ?? (importable.ownNames.has(name) ? importable.ownSpecifier : undefined);
    if (specifier === undefined) continue;
    namesBySpecifier.set(specifier, [...(namesBySpecifier.get(specifier) ?? []), name]);
  }
  const header = [...namesBySpecifier].map(([specifier, names]) => `import { ${names.sort().join(', ')} } from '${specifier}';`);
  if (importsTf) header.push(`import * as ${TFJS_NAMESPACE.name} from '${TFJS_NAMESPACE.specifier}';`);
  return { text: [...header, code].join('\n'), headerLines: header.length };
}

/** Every identifier written anywhere in the snippet, once each. */
function usedIdentifiers(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The names the snippet itself declares or imports at its top level. */
function topLevelNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name).forEach((name) => names.add(name));
    } else if (ts.isImportDeclaration(statement)) {
      importedNames(statement.importClause).forEach((name) => names.add(name));
    } else {
      const named = statement as ts.Statement & { name?: ts.Node };
      if (named.name !== undefined && ts.isIdentifier(named.name)) names.add(named.name.text);
    }
  }
  return names;
}

/** The local names an import clause binds. */
function importedNames(clause: ts.ImportClause | undefined): string[] {
  if (clause === undefined) return [];
  const bindings = clause.namedBindings;
  const fromBindings = bindings === undefined ? []
    : ts.isNamespaceImport(bindings) ? [bindings.name.text]
      : bindings.elements.map((element) => element.name.text);
  return clause.name === undefined ? fromBindings : [clause.name.text, ...fromBindings];
}
