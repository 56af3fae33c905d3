import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FOLDER_FILES } from '../../io/model-folder.js';
import type { CharTokenizer } from '../../tokenizers/char-tokenizer.js';
import { loadAnyTokenizer } from '../../tokenizers/load-any-tokenizer.js';
import { hasTokenizerFiles } from '../../tokenizers/load-tokenizer.js';
import type { Tokenizer } from '../../tokenizers/tokenizer.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { bertFromHuggingFace, type AnyBertTaskModel } from '../bert/bert-architectures.js';
import type { BertModel } from '../bert/bert-model.js';
import type { BertLoadOptions } from '../bert/bert-task-model.js';
import { GPTCausalLM } from '../gpt/gpt-causal-lm.js';
import { T5EncoderModel } from '../t5/t5-encoder-model.js';
import { T5Seq2SeqLM } from '../t5/t5-seq2seq-lm.js';

/** Every task model {@link fromPretrained} can build. */
export type PretrainedModel = GPTCausalLM | AnyBertTaskModel | BertModel | T5Seq2SeqLM | T5EncoderModel;

/** Options of {@link fromPretrained}. */
export interface FromPretrainedOptions extends BertLoadOptions {
  /** Load the tokenizer found in the folder (default true); false skips it. */
  readonly loadTokenizer?: boolean;
}

/** What {@link fromPretrained} returns. */
export interface Pretrained {
  /** The task model the folder's `config.json` describes. */
  readonly model: PretrainedModel;
  /** The folder's tokenizer, when it holds one (and `loadTokenizer` is not false). */
  readonly tokenizer?: Tokenizer | CharTokenizer;
  /** The parsed `config.json`. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The `model_type` values {@link fromPretrained} reads, with the family that loads each. */
export const PRETRAINED_MODEL_TYPES: Readonly<Record<string, string>> = Object.freeze({
  gpt2: 'GPT-2 (GPTCausalLM)',
  'wordforge-gpt': 'GPT folders of wordforge 0.x (GPTCausalLM)',
  bert: 'BERT (BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification; BertModel for base models)',
  roberta: 'RoBERTa (the same classes)',
  distilbert: 'DistilBERT (the same classes)',
  t5: 'T5 and T5 v1.1 (T5Seq2SeqLM; T5EncoderModel for that architecture)',
});

/**
 * Loads a model folder — one Hugging Face's `save_pretrained` wrote, or one wordforge saved — as
 * the task model its `config.json` names (`model_type`, then `architectures`): GPT-2 as
 * `GPTCausalLM`; BERT, RoBERTa and DistilBERT `*ForMaskedLM`, `*ForSequenceClassification` and
 * `*ForTokenClassification` as the matching wordforge class (`BertModel` base-model folders as
 * `BertModel`); T5 as `T5Seq2SeqLM` (`T5EncoderModel` folders as `T5EncoderModel`). float16 and
 * bfloat16 weights are converted to float32. The tokenizer in the same folder is loaded too.
 *
 * @param dir - the model folder
 * @param options - `numLabels`/`newHead`/`seed` for BERT-family heads; `gradientCheckpointing: true` for
 *   fine-tuning with activation recomputation (every family); `loadTokenizer: false` to skip the tokenizer
 * @returns the model, the tokenizer (when the folder has one) and the parsed config
 * @throws ConfigError for a missing or unreadable config.json or an unknown `model_type`
 *   (naming it and the supported ones); the family's errors for its weights (StateDictError lists
 *   missing and unexpected tensors, SafetensorsError bad files)
 * @example
 * ```ts
 * const { model, tokenizer } = await fromPretrained('checkpoints/gpt2');
 * ```
 */
export async function fromPretrained(dir: string, options: FromPretrainedOptions = {}): Promise<Pretrained> {
  const path = join(dir, MODEL_FOLDER_FILES.config);
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read model config '${path}': ${(error as Error).message}`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`model config '${path}' must hold a JSON object, got ${describeJSON(config)}`);
  }
  const modelType = (config as Record<string, unknown>).model_type;
  const load = options.gradientCheckpointing === undefined ? {} : { gradientCheckpointing: options.gradientCheckpointing };
  let model: PretrainedModel;
  switch (modelType) {
    case 'gpt2': case 'wordforge-gpt': model = await GPTCausalLM.load(dir, load); break;
    case 'bert': case 'roberta': case 'distilbert': model = await bertFromHuggingFace(dir, options); break;
    case 't5': {
      const architectures = (config as Record<string, unknown>).architectures;
      const encoderOnly = Array.isArray(architectures) && architectures.includes('T5EncoderModel');
      model = encoderOnly ? await T5EncoderModel.fromHuggingFace(dir, load) : await T5Seq2SeqLM.load(dir, load);
      break;
    }
    default:
      throw new ConfigError(`${path}: model_type ${describeJSON(modelType)} is not one wordforge implements; ` +
        `supported: ${Object.keys(PRETRAINED_MODEL_TYPES).join(', ')}`);
  }
  try {
    const tokenizer = options.loadTokenizer === false || !(await hasTokenizerFiles(dir)) ? undefined : await loadAnyTokenizer(dir);
    return { model, config: config as Record<string, unknown>, ...(tokenizer ? { tokenizer } : {}) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
