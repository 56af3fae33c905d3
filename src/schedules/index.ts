export { cosineWithWarmup, type CosineWithWarmupOptions, type LearningRateSchedule } from './cosine-with-warmup.js';
