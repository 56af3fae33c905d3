export { BERT_CONFIG_DEFAULTS, BERT_VARIANTS, resolveBertConfig, type BertConfig, type BertConfigInput, type BertVariant } from './bert-config.js';
export { BERT_PRESETS, type BertPresetName } from './bert-presets.js';
export { BertModel, robertaPositionIds, type BertInputArray, type BertInputs, type BertModelOptions, type BertModelOutput } from './bert-model.js';
export { BertMaskedLMHead, type BertMaskedLMHeadOptions } from './bert-masked-lm-head.js';
export { BertClassificationHead, type BertClassificationHeadOptions } from './bert-classification-head.js';
export { BertTaskModel, type BertBatchInputs, type BertLogitsOptions } from './bert-task-model.js';
export { readBertFolder, writeBertFolder, type BertLoadOptions } from './bert-folder.js';
export { BertForMaskedLM } from './bert-for-masked-lm.js';
export { BertForSequenceClassification } from './bert-for-sequence-classification.js';
export { BertForTokenClassification } from './bert-for-token-classification.js';
export {
  bertArchitecture, bertArchitectureName, bertConfigFromHuggingFace, bertConfigToHuggingFace, type BertArchitecture, type BertTask,
} from './bert-hf-config.js';
export {
  bertHasPooler, bertParameterCount, bertStateDictFromHuggingFace, bertStateDictToHuggingFace, bertWeightTable,
  type BertFromHuggingFaceOptions, type BertHuggingFaceTensors, type BertWeight,
} from './bert-hf-weights.js';
export {
  BERT_TASK_CLASSES, bertClassForArchitecture, bertFromHuggingFace, type AnyBertTaskModel, type BertTaskModelClass,
} from './bert-architectures.js';
