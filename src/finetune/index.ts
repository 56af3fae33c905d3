export { namedModules } from './named-modules.js';
export { parameterPredicate, selectParameters, type NamedParameterOwner, type ParameterSelector } from './parameter-selector.js';
export {
  countParameters, defaultBlockIndex, freeze, freezeAllBut, freezeEmbeddings, freezeFirstBlocks, unfreeze,
  type FreezeBlocksOptions, type ParameterCounts,
} from './freeze.js';
export { globSource, regExpTester } from './name-patterns.js';
export {
  findLoRATargets, LORA_CONFIG_DEFAULTS, loraScaling, resolveLoRAConfig, type LoRAConfig, type LoRAConfigInput, type LoRATarget,
} from './lora-config.js';
export { LoRALayer } from './lora-layer.js';
export { LoRAModel, type BatchOf, type LoRAAdapter, type LossModel } from './lora-model.js';
export { loraConfigFromPeft, peftAdapterConfigJSON, type PeftConfigFields } from './peft-adapter-config.js';
export {
  loadPeftAdapter, PEFT_ADAPTER_FILES, savePeftAdapter, type LoadPeftAdapterOptions, type PeftNameOptions, type SavePeftAdapterOptions,
} from './peft-adapter-file.js';
export { initNewRows, type NewRowsInit } from './embedding-init.js';
export { resizeTokenEmbeddings, type ResizableBias, type ResizableVocabulary, type ResizeTokenEmbeddingsOptions } from './resize-token-embeddings.js';
export { addTokens, type AddTokensOptions, type AddTokensResult } from './add-tokens.js';
export { DomainEmbedding, type DomainEmbeddingOptions } from './domain-embedding.js';
export { DomainConditionedLM, type ConditionableLM, type DomainCausalLMBatch } from './domain-conditioned-lm.js';
