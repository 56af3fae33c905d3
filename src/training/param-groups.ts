import type * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { defaultWeightDecayFilter } from './weight-decay.js';

/**
 * Overrides for the parameters a group matches, as a PyTorch param group. Rule order, for each
 * parameter: the first group (in array order) whose `match` returns true supplies the fields it
 * sets; a field it leaves out, or every field when no group matches, keeps its default:
 * `learningRateScale` 1, and the optimizer's `weightDecay` when its `decay` predicate (default
 * {@link defaultWeightDecayFilter}: rank >= 2, not an embedding) selects the parameter, else 0.
 *
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * new AdamW(model.namedParameters(), { learningRate: 3e-4, weightDecay: 0.1, groups: [
 *   { match: (name) => name.startsWith('head.'), learningRateScale: 10 }, // decay still by the default rule
 *   { match: (name) => name === 'backbone.shared.weight', weightDecay: 0 }, // T5's tied table
 * ] });
 * ```
 */
export interface ParamGroup {
  /** Whether a parameter belongs to this group, from its attribute path and its variable. */
  readonly match: (name: string, variable: tf.Variable) => boolean;
  /** Weight decay of the group's parameters (replaces the default rule for them). */
  readonly weightDecay?: number;
  /** Factor on the optimizer's learning rate (or schedule) for the group's parameters (default 1). */
  readonly learningRateScale?: number;
}

/** The hyperparameters one parameter is updated with. */
export interface ParamHyperparameters {
  /** Weight decay coefficient (0: none). */
  readonly weightDecay: number;
  /** Factor on the scheduled learning rate. */
  readonly learningRateScale: number;
}

/** The admissible interval of a hyperparameter, as it is written in error messages. */
export type HyperparameterRange = '[0, 1)' | '[0, 1]' | '>= 0' | '> 0' | '<= 0';

const IN_RANGE: Readonly<Record<HyperparameterRange, (value: number) => boolean>> = {
  '[0, 1)': (x) => x >= 0 && x < 1,
  '[0, 1]': (x) => x >= 0 && x <= 1,
  '>= 0': (x) => x >= 0,
  '> 0': (x) => x > 0,
  '<= 0': (x) => x <= 0,
};

/**
 * Throws a {@link RangeArgumentError} naming `name` and `value` unless `value` is finite and lies
 * in `range`. Every optimizer validates its options with it.
 *
 * @param name - the option as the user wrote it, e.g. `beta2` or `groups[1].weightDecay`
 * @param value - its value
 * @param range - where it must lie
 * @example
 * ```ts
 * checkHyperparameter('beta1', 0.9, '[0, 1)');  // fine
 * checkHyperparameter('beta2', -0.1, '[0, 1)'); // throws "beta2 (-0.1) must be finite and in [0, 1)"
 * ```
 */
export function checkHyperparameter(name: string, value: number, range: HyperparameterRange): void {
  assert(Number.isFinite(value) && IN_RANGE[range](value), RangeArgumentError,
    () => `${name} (${value}) must be finite and ${range.startsWith('[') ? `in ${range}` : range}`);
}

/**
 * Resolves the weight decay and learning-rate factor of every parameter, once, when an optimizer
 * is built, by the rule order of {@link ParamGroup}.
 *
 * @param params - named parameters, e.g. `model.namedParameters()`
 * @param weightDecay - the optimizer-wide coefficient the default rule applies
 * @param groups - overrides, first match wins
 * @param decay - which parameters the default rule decays
 * @returns the hyperparameters by parameter name
 * @throws RangeArgumentError when a coefficient or factor is negative or not finite
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * const hp = resolveParamGroups(model.namedParameters(), 0.1, [
 *   { match: (name) => name.startsWith('head.'), learningRateScale: 10 },
 *   { match: (name) => name === 'backbone.shared.weight', weightDecay: 0 },
 * ]);
 * hp.get('head.weight'); // { weightDecay: 0.1, learningRateScale: 10 }
 * ```
 */
export function resolveParamGroups(
  params: ReadonlyArray<readonly [string, tf.Variable]>,
  weightDecay: number,
  groups: readonly ParamGroup[] = [],
  decay: (name: string, variable: tf.Variable) => boolean = defaultWeightDecayFilter,
): Map<string, ParamHyperparameters> {
  checkHyperparameter('weightDecay', weightDecay, '>= 0');
  groups.forEach((group, i) => {
    if (group.weightDecay !== undefined) checkHyperparameter(`groups[${i}].weightDecay`, group.weightDecay, '>= 0');
    if (group.learningRateScale !== undefined) {
      checkHyperparameter(`groups[${i}].learningRateScale`, group.learningRateScale, '>= 0');
    }
  });
  return new Map(params.map(([name, variable]) => {
    const group = groups.find((g) => g.match(name, variable));
    return [name, {
      weightDecay: group?.weightDecay ?? (decay(name, variable) ? weightDecay : 0),
      learningRateScale: group?.learningRateScale ?? 1,
    }];
  }));
}
