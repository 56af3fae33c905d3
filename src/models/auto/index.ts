export { PRETRAINED_MODEL_TYPES, fromPretrained, type FromPretrainedOptions, type Pretrained, type PretrainedModel } from './from-pretrained.js';
