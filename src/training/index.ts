export { Adafactor, type AdafactorOptions } from './adafactor.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { CHECKPOINT_FILES, listCheckpoints, pruneCheckpoints, readCheckpoint, writeCheckpoint, type CheckpointEntry, type CheckpointState, type LoadedCheckpoint } from './checkpoint.js';
export { clipGradNorm, type ClippedGradients } from './clip-grad-norm.js';
export { optimizationStep, type OptimizationStepOptions, type OptimizationStepResult, type TrainableModel } from './optimization-step.js';
export {
  SlotOptimizer, type Gradients, type LearningRate, type Optimizer, type OptimizerOptions, type OptimizerState, type ParameterUpdate,
  type SlotData, type UpdateRule,
} from './optimizer.js';
export type { ParamGroup } from './param-groups.js';
export { Lion, type LionOptions } from './lion.js';
export { SGD, type SGDOptions } from './sgd.js';
export { trainLoop, type TrainLog, type TrainLoopOptions } from './train-loop.js';
export { Trainer, type CheckpointOptions, type EvaluationOptions, type TrainerOptions } from './trainer.js';
export { defaultWeightDecayFilter } from './weight-decay.js';
export { evaluate, type EncodedIds, type EvaluateOptions, type EvaluationTokenizer, type TextGenerationModel } from './evaluate.js';
export { evaluateGeneration, type GenerationExample, type GenerationMetricName, type GenerationMetricOptions } from './evaluate-generation.js';
export { evaluatePerplexity, type EvaluatePerplexityOptions, type PerplexityResult } from './evaluate-perplexity.js';
export * from './search/index.js';
export { defaultLayerOf, layerwiseLrDecayGroups, type LayerwiseLrDecayOptions } from './layerwise-lr-decay.js';
