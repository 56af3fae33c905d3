import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { IGNORE_INDEX, type CausalLMBatch } from '../causal-lm-batch.js';
import { paddedLength, rowAttentionMask, padRows, type RowPadding } from './pad-rows.js';

/**
 * An instruction-tuning example: the model reads `prompt` then `response`, and only the response
 * tokens carry loss.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const example: PromptResponseExample = { prompt: tokenizer.encode('Q: 2+2?\nA:').ids, response: tokenizer.encode(' 4<eos>').ids };
 * ```
 */
export interface PromptResponseExample {
  /** Tokens the model conditions on; their labels are {@link IGNORE_INDEX}. */
  readonly prompt: ArrayLike<number>;
  /** Tokens the model learns to produce. */
  readonly response: ArrayLike<number>;
}

/**
 * Options of {@link collateCausalLM}. `padTo` and `padToMultipleOf` count input positions
 * (`seqLength`), which is one less than the tokens of the longest example.
 * @example
 * ```ts
 * const options: CollateCausalLMOptions = { padId: 0, padToMultipleOf: 8 };
 * ```
 */
export interface CollateCausalLMOptions extends RowPadding {
  /** Token id written into padded input positions. */
  readonly padId: number;
  /**
   * Per example, how many leading tokens are prompt (no loss on predicting them), for plain token
   * arrays; {@link PromptResponseExample}s carry their own. Default: 0 (loss on every token).
   */
  readonly promptLengths?: readonly number[];
}

/**
 * Collates token sequences into a next-token batch: each example of n tokens becomes a row of
 * n − 1 inputs (`ids[0..n-1)`) and labels (`ids[1..n)`); padding gets `padId` in the inputs,
 * {@link IGNORE_INDEX} in the labels and 0 in the attention mask. With prompts (a
 * {@link PromptResponseExample} or `promptLengths`), positions that predict a prompt token are
 * labelled {@link IGNORE_INDEX} too, so the loss covers the response only (as Hugging Face TRL's
 * completion-only collator). Packed blocks of `seqLength + 1` tokens give rows of `seqLength`.
 * @param examples - token sequences of at least 2 tokens, or prompt/response pairs
 * @throws RangeArgumentError on bad options or examples too short to predict anything,
 *   ContextLengthError when an example exceeds `padTo + 1` tokens
 * @example
 * ```ts
 * const batch = collateCausalLM([[5, 6, 7], { prompt: [1, 2], response: [3, 4] }], { padId: 0 });
 * // inputIds [5, 6, 0, 1, 2, 3], labels [6, 7, -100, -100, 3, 4]
 * ```
 */
export function collateCausalLM(examples: readonly (ArrayLike<number> | PromptResponseExample)[], options: CollateCausalLMOptions): CausalLMBatch {
  const { padId, promptLengths, side = 'right' } = options;
  assert(promptLengths === undefined || promptLengths.length === examples.length, RangeArgumentError,
    () => `promptLengths has ${promptLengths?.length} entries for ${examples.length} examples`);
  const sequences: ArrayLike<number>[] = [];
  const prompts: number[] = [];
  examples.forEach((example, i) => {
    const isPair = 'prompt' in example && 'response' in example;
    const ids = isPair ? [...Array.from(example.prompt), ...Array.from(example.response)] : example;
    const prompt = isPair ? example.prompt.length : promptLengths?.[i] ?? 0;
    assert(ids.length >= 2, RangeArgumentError, () => `example ${i} has ${ids.length} tokens: it needs at least 2 to predict one`);
    assert(Number.isInteger(prompt) && prompt >= 0 && prompt <= ids.length, RangeArgumentError,
      () => `promptLengths[${i}] (${prompt}) must be an integer in [0, ${ids.length}]`);
    sequences.push(ids);
    prompts.push(prompt);
  });
  const lengths = sequences.map((ids) => ids.length - 1);
  const seqLength = paddedLength(lengths, options, 'example');
  const inputs = sequences.map((ids) => Array.prototype.slice.call(ids, 0, -1) as number[]);
  const targets = sequences.map((ids, i) => Array.from({ length: ids.length - 1 }, (_, t) =>
    (t + 1 < (prompts[i] as number) ? IGNORE_INDEX : ids[t + 1] as number)));
  return {
    batchSize: examples.length,
    seqLength,
    inputIds: padRows(inputs, seqLength, padId, side),
    labels: padRows(targets, seqLength, IGNORE_INDEX, side),
    attentionMask: rowAttentionMask(lengths, seqLength, side),
  };
}
