export { type LearningRateSchedule } from './learning-rate-schedule.js';
export { constantSchedule, type ConstantScheduleOptions } from './constant-schedule.js';
export { constantWithWarmup, type ConstantWithWarmupOptions } from './constant-with-warmup.js';
export { linearWithWarmup, type LinearWithWarmupOptions } from './linear-with-warmup.js';
export { cosineWithWarmup, type CosineWithWarmupOptions } from './cosine-with-warmup.js';
export { cosineWithHardRestarts, type CosineWithHardRestartsOptions } from './cosine-with-hard-restarts.js';
export { polynomialDecayWithWarmup, type PolynomialDecayWithWarmupOptions } from './polynomial-decay-with-warmup.js';
export { inverseSqrt, type InverseSqrtOptions } from './inverse-sqrt.js';
export {
  warmupStableDecay, type WarmupStableDecayOptions, type WarmupStableDecayShape,
} from './warmup-stable-decay.js';
export { constantLR, type ConstantLROptions } from './constant-lr.js';
export { stepLR, type StepLROptions } from './step-lr.js';
export { multiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { exponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { linearLR, type LinearLROptions } from './linear-lr.js';
export { polynomialLR, type PolynomialLROptions } from './polynomial-lr.js';
export { cosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export {
  cosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions,
} from './cosine-annealing-warm-restarts.js';
export { oneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
