import type { Metrics } from '../callbacks/callback.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { evaluateGeneration, type GenerationExample, type GenerationMetricName, type GenerationMetricOptions } from './evaluate-generation.js';

/** A model {@link evaluate} can score: causal LMs (new tokens only) and seq2seq LMs alike. */
export interface TextGenerationModel {
  /** Generated token ids per prompt row (without the prompt or the decoder start token). */
  generate(inputIds: number[][], options: GenerationOptions): Promise<number[][]>;
}

/** An encoding as {@link EvaluationTokenizer.encode} may return it (e.g. the tokenizers' `Encoding`). */
export interface EncodedIds {
  /** The token ids. */
  readonly ids: readonly number[];
}

/**
 * The tokenizer {@link evaluate} needs: `Tokenizer` (whose `encode` returns an `Encoding`) and
 * `CharTokenizer` (whose `encode` returns ids) both fit.
 */
export interface EvaluationTokenizer {
  /** Token ids of a text, or an encoding holding them. */
  encode(text: string): readonly number[] | EncodedIds;
  /** Text of token ids; `skipSpecialTokens` drops EOS, padding and the like where supported. */
  decode(ids: readonly number[], options?: { readonly skipSpecialTokens?: boolean }): string;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Turns inputs into prompt ids and generated ids back into text. */
  readonly tokenizer: EvaluationTokenizer;
  /** Decoding settings (`maxNewTokens`, `eosTokenId`, `numBeams`...); greedy unless asked. */
  readonly generation: GenerationOptions;
  /** Prompts generated together (default 8); shorter prompts are left-padded. */
  readonly batchSize?: number;
  /** Per-metric options, e.g. `{ bleu: { tokenize: 'zh' }, rouge: { tokenizer: 'unicode' } }` for Chinese. */
  readonly metricOptions?: GenerationMetricOptions;
}

/**
 * Generates an output for every example with `model` and scores them with
 * {@link evaluateGeneration}'s metrics (BLEU, chrF, ROUGE, exact match, token F1). Outputs are
 * decoded with `skipSpecialTokens` and trimmed. Use it as a Trainer's `evaluation.metrics` to track
 * generation quality during training, e.g. for seq2seq tasks.
 * @param model - anything with `generate(inputIds, options)`: `GPTCausalLM`, a T5 model...
 * @param examples - inputs and their references
 * @param metrics - which metrics to report
 * @param options - tokenizer, generation settings, batch size
 * @returns metric values by name
 * @throws RangeArgumentError for a batch size that is not a positive integer
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM, tokenizer: Tokenizer;
 * const scores = await evaluate(model, [{ input: 'translate: hi', references: ['salut'] }], ['bleu', 'chrf'],
 *   { tokenizer, generation: { maxNewTokens: 32, eosTokenId: 1 } });
 * ```
 */
export async function evaluate(
  model: TextGenerationModel,
  examples: readonly GenerationExample[],
  metrics: readonly GenerationMetricName[],
  options: EvaluateOptions,
): Promise<Metrics> {
  const { tokenizer, generation } = options;
  const batchSize = options.batchSize ?? 8;
  assert(Number.isInteger(batchSize) && batchSize > 0, RangeArgumentError,
    () => `batchSize (${String(batchSize)}) must be a positive integer`);
  const encode = (text: string): number[] => {
    const encoded = tokenizer.encode(text);
    return [...('ids' in encoded ? encoded.ids : encoded)];
  };
  return evaluateGeneration(async (inputs) => {
    const outputs: string[] = [];
    for (let start = 0; start < inputs.length; start += batchSize) {
      const prompts = inputs.slice(start, start + batchSize).map(encode);
      const generated = await model.generate(prompts, generation);
      outputs.push(...generated.map((ids) => tokenizer.decode(ids, { skipSpecialTokens: true }).trim()));
    }
    return outputs;
  }, examples, metrics, options.metricOptions);
}
