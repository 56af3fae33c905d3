export { AdamW, type AdamWMoments, type AdamWOptions, type AdamWState, type LearningRate } from './adamw.js';
export { clipGradNorm, type ClippedGradients } from './clip-grad-norm.js';
export { trainLoop, type TrainableModel, type TrainLog, type TrainLoopOptions } from './train-loop.js';
export { defaultWeightDecayFilter } from './weight-decay.js';
