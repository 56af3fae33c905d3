import { Module } from '../layers/module.js';

/**
 * Every sub-module of `root` (itself included, under the path `''`) with its attribute path, in
 * the order {@link Module.namedParameters} walks them: a property holding a Module, or an array of
 * them. A module reachable twice is listed once, under its first path. Parameter names are
 * `${modulePath}.${attribute}`, so a module's parameters are the ones named under its path.
 *
 * @param root - the model to walk
 * @returns `[path, module]` pairs, parents before children
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const linears = namedModules(model).filter(([, m]) => m instanceof Linear);
 * linears[0]![0]; // 'backbone.blocks.0.attn.qkv'
 * ```
 */
export function namedModules(root: Module): Array<[string, Module]> {
  const seen = new Set<Module>();
  const out: Array<[string, Module]> = [];
  const walk = (path: string, value: unknown): void => {
    if (value instanceof Module) {
      if (seen.has(value)) return;
      seen.add(value);
      out.push([path, value]);
      for (const [key, child] of Object.entries(value)) walk(path ? `${path}.${key}` : key, child);
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(`${path}.${i}`, item));
  };
  walk('', root);
  return out;
}
