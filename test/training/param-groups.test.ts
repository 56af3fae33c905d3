import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkHyperparameter, resolveParamGroups } from '../../src/training/param-groups.js';
import { RangeArgumentError } from '../../src/utils/errors.js';

describe('resolveParamGroups', () => {
  const params: Array<[string, tf.Variable]> = [
    ['head.weight', tf.variable(tf.zeros([4, 2]))],
    ['head.bias', tf.variable(tf.zeros([2]))],
    ['wte.weight', tf.variable(tf.zeros([5, 4]))],
    ['mlp.weight', tf.variable(tf.zeros([4, 4]))],
  ];

  it('applies the default rule when no group matches', () => {
    const hp = resolveParamGroups(params, 0.1);
    expect(Object.fromEntries(hp)).toEqual({
      'head.weight': { weightDecay: 0.1, learningRateScale: 1 },
      'head.bias': { weightDecay: 0, learningRateScale: 1 },
      'wte.weight': { weightDecay: 0, learningRateScale: 1 },
      'mlp.weight': { weightDecay: 0.1, learningRateScale: 1 },
    });
  });

  it('lets the first matching group win and keeps the default for fields it leaves out', () => {
    const hp = resolveParamGroups(params, 0.1, [
      { match: (name) => name.startsWith('head.'), learningRateScale: 10 },
      { match: (name) => name.startsWith('head.') || name === 'wte.weight', weightDecay: 0.5, learningRateScale: 2 },
    ]);
    expect(hp.get('head.weight')).toEqual({ weightDecay: 0.1, learningRateScale: 10 });
    expect(hp.get('head.bias')).toEqual({ weightDecay: 0, learningRateScale: 10 });
    expect(hp.get('wte.weight')).toEqual({ weightDecay: 0.5, learningRateScale: 2 });
    expect(hp.get('mlp.weight')).toEqual({ weightDecay: 0.1, learningRateScale: 1 });
  });

  it('takes another default rule', () => {
    const hp = resolveParamGroups(params, 0.1, [], (name) => name === 'head.bias');
    expect([...hp.values()].map((h) => h.weightDecay)).toEqual([0, 0.1, 0, 0]);
  });

  it('names the offending value', () => {
    expect(() => resolveParamGroups(params, -0.1)).toThrow(/^weightDecay \(-0.1\) must be finite and >= 0$/);
    expect(() => resolveParamGroups(params, 0, [{ match: () => true }, { match: () => true, weightDecay: NaN }]))
      .toThrow(/groups\[1\]\.weightDecay \(NaN\)/);
    expect(() => resolveParamGroups(params, 0, [{ match: () => true, learningRateScale: -2 }]))
      .toThrow(RangeArgumentError);
    tf.dispose(params.map(([, v]) => v));
  });
});

describe('checkHyperparameter', () => {
  it('accepts the range and rejects with the range in the message', () => {
    expect(() => checkHyperparameter('beta1', 0, '[0, 1)')).not.toThrow();
    expect(() => checkHyperparameter('beta1', 1, '[0, 1)')).toThrow(/^beta1 \(1\) must be finite and in \[0, 1\)$/);
    expect(() => checkHyperparameter('beta', 1, '[0, 1]')).not.toThrow();
    expect(() => checkHyperparameter('clip', 0, '> 0')).toThrow(/clip \(0\) must be finite and > 0/);
    expect(() => checkHyperparameter('decayRate', 0.1, '<= 0')).toThrow(RangeArgumentError);
    expect(() => checkHyperparameter('lr', Infinity, '>= 0')).toThrow(/lr \(Infinity\)/);
  });
});
