import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generationOptionsFromHuggingFace, HF_GENERATION_KEYS } from '../../src/generation/index.js';
import { ConfigError } from '../../src/utils/errors.js';

describe('generationOptionsFromHuggingFace', () => {
  it('reads the hf-tiny GPT-2 generation_config.json', () => {
    const file = fileURLToPath(new URL('../../../shared/fixtures/hf-tiny/gpt2/generation_config.json', import.meta.url));
    expect(generationOptionsFromHuggingFace(JSON.parse(readFileSync(file, 'utf8')))).toEqual({ topK: 50, eosTokenId: 319 });
  });

  it('maps every accepted key to its camelCase option', () => {
    const json = {
      max_new_tokens: 32, do_sample: true, temperature: 0.7, top_k: 20, top_p: 0.9, min_p: 0.05, typical_p: 0.95,
      repetition_penalty: 1.2, no_repeat_ngram_size: 3, bad_words_ids: [[5], [6, 7]], num_beams: 1, length_penalty: 1.5,
      early_stopping: 'never', eos_token_id: [2, 3], pad_token_id: 0, num_return_sequences: 2, stop_strings: '\n\n', max_time: 5,
    };
    expect(generationOptionsFromHuggingFace(json)).toEqual({
      maxNewTokens: 32, doSample: true, temperature: 0.7, topK: 20, topP: 0.9, minP: 0.05, typicalP: 0.95,
      repetitionPenalty: 1.2, noRepeatNgramSize: 3, badWordsIds: [[5], [6, 7]], numBeams: 1, lengthPenalty: 1.5,
      earlyStopping: 'never', eosTokenId: [2, 3], padTokenId: 0, numReturnSequences: 2, stop: ['\n\n'], maxTime: 5,
    });
    expect(Object.keys(HF_GENERATION_KEYS)).toHaveLength(Object.keys(json).length);
  });

  it('skips bookkeeping keys and null values, accepts unsupported keys at their no-op default', () => {
    expect(generationOptionsFromHuggingFace({
      transformers_version: '4.43.4', _from_model_config: true, bos_token_id: 1, use_cache: true, max_length: 20,
      num_beam_groups: 1, diversity_penalty: 0, min_length: 0, suppress_tokens: null, top_p: null,
    })).toEqual({ topK: 50 });
    expect(generationOptionsFromHuggingFace({ top_k: 0, do_sample: true })).toEqual({ doSample: true });
  });

  it('rejects unsupported semantic values and unknown keys, naming them', () => {
    expect(() => generationOptionsFromHuggingFace({ num_beam_groups: 2 })).toThrow(ConfigError);
    expect(() => generationOptionsFromHuggingFace({ num_beam_groups: 2 })).toThrow(/num_beam_groups = 2 is not supported/);
    expect(() => generationOptionsFromHuggingFace({ penalty_alpha: 0.6 })).toThrow(/penalty_alpha/);
    expect(() => generationOptionsFromHuggingFace({ top_q: 0.5 })).toThrow(/unknown generation config key top_q/);
  });
});
