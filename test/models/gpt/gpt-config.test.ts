import { describe, expect, it } from 'vitest';
import { resolveGPTConfig } from '../../../src/models/gpt/gpt-config.js';
import { GPT_PRESETS } from '../../../src/models/gpt/gpt-presets.js';
import { gptParameterCount } from '../../../src/models/gpt/gpt-parameter-count.js';
import { GPTCausalLM } from '../../../src/models/gpt/gpt-causal-lm.js';
import { ConfigError } from '../../../src/utils/errors.js';

describe('resolveGPTConfig', () => {
  it('fills GPT-2 defaults and derives the feed-forward width', () => {
    const c = resolveGPTConfig({ vocabSize: 100, hiddenSize: 32, numHeads: 4, numLayers: 1 });
    expect(c).toMatchObject({ vocabSize: 100, contextLength: 1024, hiddenSize: 32, intermediateSize: 128, dropout: 0, layerNormEps: 1e-5 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('round-trips through JSON', () => {
    const c = resolveGPTConfig({ vocabSize: 100, hiddenSize: 32, numHeads: 4, numLayers: 1, seed: 3 });
    expect(resolveGPTConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('names the bad value', () => {
    expect(() => resolveGPTConfig({ vocabSize: 100, hiddenSize: 100, numHeads: 12 })).toThrowError('numHeads (12) must divide hiddenSize (100)');
    expect(() => resolveGPTConfig({ vocabSize: 0 })).toThrowError('vocabSize (0) must be a positive integer');
    expect(() => resolveGPTConfig({ vocabSize: 10, dropout: 1 })).toThrowError('dropout (1) must be in [0, 1)');
    expect(() => resolveGPTConfig({ vocabSize: 10, hiddenSise: 8 } as never)).toThrowError('unknown GPT config keys: hiddenSise');
    expect(() => resolveGPTConfig({ vocabSize: 10, numLayers: 1.5 })).toThrowError(ConfigError);
  });

  it('has the reference presets', () => {
    expect(GPT_PRESETS.small).toEqual({ vocabSize: 8192, hiddenSize: 256, numLayers: 4, numHeads: 4, contextLength: 128 });
    for (const preset of Object.values(GPT_PRESETS)) expect(() => resolveGPTConfig(preset)).not.toThrow();
  });

  it('counts parameters from the config as a built model and as Hugging Face report them', () => {
    for (const config of [{ vocabSize: 37, hiddenSize: 16, numLayers: 2, numHeads: 4, contextLength: 9 },
      { vocabSize: 11, hiddenSize: 8, numLayers: 1, numHeads: 2, contextLength: 4, intermediateSize: 12 }]) {
      const model = new GPTCausalLM(config);
      expect(gptParameterCount(config)).toBe(model.numParameters());
      model.dispose();
    }
    // GPT2LMHeadModel.num_parameters() of the gpt2 and gpt2-medium checkpoints.
    expect(gptParameterCount(GPT_PRESETS.gpt2)).toBe(124_439_808);
    expect(gptParameterCount(GPT_PRESETS['gpt2-medium'])).toBe(354_823_168);
  });
});
