import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { globSource, regExpTester } from './name-patterns.js';

/**
 * Picks parameters by attribute path. A string is a glob over the dotted name: `*` matches within
 * one segment, `**` across segments, anything else literally; it selects a name it matches whole or
 * up to a `.` boundary, so `backbone.blocks.0` selects every parameter of block 0 and
 * `**.attn` every attention parameter. A RegExp is searched in the name. A function decides
 * from the name and the variable.
 *
 * @example
 * ```ts
 * const selectors: ParameterSelector[] = [
 *   'backbone.tokenEmbedding',                // one module
 *   'backbone.blocks.*.attn.qkv.weight',      // a glob
 *   /\.ln\d\./,                               // a RegExp
 *   (name, v) => v.rank === 1,                // biases and norms
 * ];
 * ```
 */
export type ParameterSelector = string | RegExp | ((name: string, variable: tf.Variable) => boolean);

/**
 * Anything whose parameters can be listed by name: every `Module`, and wrappers such as
 * {@link LoRAModel}.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const owner: NamedParameterOwner = model; // a GPTCausalLM, a Linear, a LoRAModel...
 * owner.namedParameters().length;
 * ```
 */
export interface NamedParameterOwner {
  /** Every parameter with its attribute path, tied weights once. */
  namedParameters(): Array<[string, tf.Variable]>;
}

/**
 * Turns a {@link ParameterSelector} into a predicate over `(name, variable)`.
 *
 * @param selector - a glob string, a RegExp or a predicate
 * @returns the predicate
 * @example
 * ```ts
 * const isQkv = parameterPredicate('**.qkv');
 * declare const w: tf.Variable;
 * isQkv('backbone.blocks.0.attn.qkv.weight', w); // true
 * ```
 */
export function parameterPredicate(selector: ParameterSelector): (name: string, variable: tf.Variable) => boolean {
  if (typeof selector === 'function') return selector;
  if (selector instanceof RegExp) {
    const test = regExpTester(selector);
    return (name) => test(name);
  }
  const pattern = new RegExp(`^${globSource(selector)}(?:\\.|$)`);
  return (name) => pattern.test(name);
}

/**
 * The parameters that at least one selector picks, in the model's order. Every selector must pick
 * at least one parameter: a pattern that matches nothing is almost always a typo.
 *
 * @param model - the parameters' owner
 * @param selectors - one selector or several (union)
 * @returns `[name, variable]` pairs
 * @throws ConfigError naming each selector that matches no parameter
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * selectParameters(model, ['backbone.blocks.0', 'backbone.finalNorm']).map(([n]) => n);
 * ```
 */
export function selectParameters(
  model: NamedParameterOwner,
  selectors: ParameterSelector | readonly ParameterSelector[],
): Array<[string, tf.Variable]> {
  const list = (Array.isArray(selectors) ? selectors : [selectors]) as readonly ParameterSelector[];
  const params = model.namedParameters();
  const predicates = list.map(parameterPredicate);
  const unused = list.filter((_, i) => !params.some(([name, v]) => (predicates[i] as (n: string, v: tf.Variable) => boolean)(name, v)));
  assert(unused.length === 0, ConfigError, () => `parameter selector(s) ${unused.map(String).join(', ')} match no parameter of ` +
    `${params.length} (first names: ${params.slice(0, 3).map(([n]) => n).join(', ')})`);
  return params.filter(([name, v]) => predicates.some((p) => p(name, v)));
}
