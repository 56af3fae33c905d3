import { ConfigError } from '../utils/errors.js';
import type { GenerationOptions } from './generation-options.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Hugging Face `generation_config.json` keys read, and the option each becomes. */
export const HF_GENERATION_KEYS: Readonly<Record<string, keyof GenerationOptions>> = {
  max_new_tokens: 'maxNewTokens', do_sample: 'doSample', temperature: 'temperature', top_k: 'topK',
  top_p: 'topP', min_p: 'minP', typical_p: 'typicalP', repetition_penalty: 'repetitionPenalty',
  no_repeat_ngram_size: 'noRepeatNgramSize', bad_words_ids: 'badWordsIds', num_beams: 'numBeams',
  length_penalty: 'lengthPenalty', early_stopping: 'earlyStopping', eos_token_id: 'eosTokenId',
  pad_token_id: 'padTokenId', num_return_sequences: 'numReturnSequences', stop_strings: 'stop',
  max_time: 'maxTime',
};

/**
 * Keys with no effect on which tokens come out (ids the model needs elsewhere, bookkeeping, output
 * formatting, caching), skipped.
 */
export const HF_IGNORED_GENERATION_KEYS: readonly string[] = [
  '_from_model_config', 'transformers_version', 'bos_token_id', 'decoder_start_token_id', 'use_cache',
  'output_attentions', 'output_hidden_states', 'output_scores', 'output_logits', 'return_dict_in_generate',
  'max_length',
];

/**
 * Semantic keys this library does not implement, with the value at which each does nothing
 * (Hugging Face's default): such a value is accepted, any other is a {@link ConfigError}.
 */
export const HF_UNSUPPORTED_GENERATION_KEYS: Readonly<Record<string, unknown>> = {
  min_length: 0, min_new_tokens: null, num_beam_groups: 1, diversity_penalty: 0, penalty_alpha: null,
  epsilon_cutoff: 0, eta_cutoff: 0, encoder_repetition_penalty: 1, encoder_no_repeat_ngram_size: 0,
  force_words_ids: null, constraints: null, forced_bos_token_id: null, forced_eos_token_id: null,
  remove_invalid_values: false, exponential_decay_length_penalty: null, suppress_tokens: null,
  begin_suppress_tokens: null, forced_decoder_ids: null, sequence_bias: null, guidance_scale: null,
  renormalize_logits: false, watermarking_config: null, low_memory: null, prompt_lookup_num_tokens: null,
  max_matching_ngram_size: null, assistant_early_exit: null, dola_layers: null, cache_implementation: null,
  num_assistant_tokens: null, token_healing: false,
};

/**
 * Reads a Hugging Face `generation_config.json` (already parsed) into {@link GenerationOptions}.
 * Accepted keys (see {@link HF_GENERATION_KEYS}): `max_new_tokens`, `do_sample`, `temperature`,
 * `top_k`, `top_p`, `min_p`, `typical_p`, `repetition_penalty`, `no_repeat_ngram_size`,
 * `bad_words_ids`, `num_beams`, `length_penalty`, `early_stopping`, `eos_token_id` (one id or a
 * list), `pad_token_id`, `num_return_sequences`, `stop_strings` (one string or a list), `max_time`.
 * Keys without effect on the tokens ({@link HF_IGNORED_GENERATION_KEYS}, `max_length` among them:
 * pass `maxNewTokens` instead) are skipped; unsupported semantic keys are accepted only at their
 * no-op default ({@link HF_UNSUPPORTED_GENERATION_KEYS}); any other key is an error rather than
 * silently ignored. As in Hugging Face, `top_k` defaults to 50 when absent and 0 turns it off (it matters only
 * when sampling); `maxNewTokens` is set only when the file has `max_new_tokens`. Values are checked when
 * the options are used.
 *
 * @param json - the parsed file
 * @returns options; spread your own over them (`{ ...fromFile, maxNewTokens: 64 }`)
 * @throws ConfigError naming an unknown key, or an unsupported key set to something else than its default
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * declare const model: GPTCausalLM, ids: number[];
 * const fromFile = generationOptionsFromHuggingFace(JSON.parse(readFileSync('generation_config.json', 'utf8')));
 * await model.generate([ids], { maxNewTokens: 64, ...fromFile });
 * ```
 */
export function generationOptionsFromHuggingFace(json: Readonly<Record<string, unknown>>): Partial<GenerationOptions> {
  const out: Partial<Writable<GenerationOptions>> = { topK: 50 };
  for (const [key, value] of Object.entries(json)) {
    const option = HF_GENERATION_KEYS[key];
    if (option !== undefined) {
      if (key === 'top_k' && (value === 0 || value === null)) delete out.topK; // HF: 0 or None turns top-k off
      else if (value !== null) (out as Record<string, unknown>)[option] = key === 'stop_strings' && typeof value === 'string' ? [value] : value;
    } else if (key in HF_UNSUPPORTED_GENERATION_KEYS) {
      const noOp = HF_UNSUPPORTED_GENERATION_KEYS[key];
      if (value !== null && value !== noOp) {
        throw new ConfigError(`generation config key ${key} = ${JSON.stringify(value)} is not supported (only ${JSON.stringify(noOp)}, its default)`);
      }
    } else if (!HF_IGNORED_GENERATION_KEYS.includes(key)) {
      throw new ConfigError(`unknown generation config key ${key} (= ${JSON.stringify(value)}); accepted: ${Object.keys(HF_GENERATION_KEYS).join(', ')}`);
    }
  }
  return out;
}
