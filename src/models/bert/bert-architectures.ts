import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FOLDER_FILES } from '../../io/model-folder.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { BertForMaskedLM } from './bert-for-masked-lm.js';
import { BertForSequenceClassification } from './bert-for-sequence-classification.js';
import { BertForTokenClassification } from './bert-for-token-classification.js';
import { bertArchitecture, type BertTask } from './bert-hf-config.js';
import { BertModel } from './bert-model.js';
import type { BertLoadOptions } from './bert-folder.js';

/** A BERT-family task model class. */
export type BertTaskModelClass = typeof BertForMaskedLM | typeof BertForSequenceClassification | typeof BertForTokenClassification;

/** A BERT-family task model. */
export type AnyBertTaskModel = BertForMaskedLM | BertForSequenceClassification | BertForTokenClassification;


/**
 * The class implementing each task head (the encoder alone, `base`, is {@link BertModel}).
 * @example
 * ```ts
 * BERT_TASK_CLASSES['masked-lm'] === BertForMaskedLM; // true
 * ```
 */
export const BERT_TASK_CLASSES: Readonly<Record<Exclude<BertTask, 'base'>, BertTaskModelClass>> = Object.freeze({
  'masked-lm': BertForMaskedLM,
  'sequence-classification': BertForSequenceClassification,
  'token-classification': BertForTokenClassification,
});

/**
 * The wordforge class for a Hugging Face `architectures` name, or undefined when this family does
 * not implement it. `BertForMaskedLM`, `RobertaForMaskedLM`, `DistilBertForMaskedLM` →
 * {@link BertForMaskedLM}; `*ForSequenceClassification` → {@link BertForSequenceClassification};
 * `*ForTokenClassification` → {@link BertForTokenClassification}; `BertModel`, `RobertaModel`,
 * `DistilBertModel` → {@link BertModel} (the encoder alone).
 * @example
 * ```ts
 * bertClassForArchitecture('RobertaForMaskedLM'); // BertForMaskedLM
 * bertClassForArchitecture('BertForQuestionAnswering'); // undefined
 * ```
 */
export function bertClassForArchitecture(name: string): BertTaskModelClass | typeof BertModel | undefined {
  const found = bertArchitecture(name);
  if (found === undefined) return undefined;
  return found.task === 'base' ? BertModel : BERT_TASK_CLASSES[found.task];
}

/**
 * Loads a Hugging Face BERT, RoBERTa or DistilBERT folder into the class its `config.json`
 * `architectures` names: the first task class this family implements, or `BertModel` for a
 * base-model folder (`BertModel`, `RobertaModel`, `DistilBertModel`).
 * @throws ConfigError when config.json is unreadable or names no architecture implemented here
 * @example
 * ```ts
 * const model = await bertFromHuggingFace('models/roberta-tiny'); // a BertForMaskedLM
 * ```
 */
export async function bertFromHuggingFace(dir: string, options: BertLoadOptions = {}): Promise<AnyBertTaskModel | BertModel> {
  const path = join(dir, MODEL_FOLDER_FILES.config);
  let config: { architectures?: unknown };
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as { architectures?: unknown };
  } catch (error) {
    throw new ConfigError(`cannot read model config '${path}': ${(error as Error).message}`);
  }
  const names = Array.isArray(config?.architectures) ? config.architectures as unknown[] : [];
  const tasks = names.map((n) => (typeof n === 'string' ? bertArchitecture(n)?.task : undefined));
  const task = tasks.find((t): t is Exclude<BertTask, 'base'> => t !== undefined && t !== 'base');
  if (task !== undefined) return BERT_TASK_CLASSES[task].fromHuggingFace(dir, options);
  if (tasks.includes('base')) return BertModel.fromHuggingFace(dir, options);
  throw new ConfigError(`${path}: architectures ${describeJSON(config?.architectures)} names no BERT-family task class wordforge implements ` +
    '(*Model, *ForMaskedLM, *ForSequenceClassification, *ForTokenClassification of Bert, Roberta, DistilBert)');
}
