// The public API of wordforge: named exports only, grouped by layer (see DESIGN.md).
export * from './utils/index.js';
export * from './backend/index.js';
export * from './schedules/index.js';
export * from './tokenizers/index.js';
export * from './metrics/index.js';
export * from './data/index.js';
export * from './io/index.js';
export * from './ops/index.js';
export * from './layers/index.js';
export * from './generation/index.js';
export * from './callbacks/index.js';
export * from './training/index.js';
export * from './models/gpt/index.js';
export * from './models/bert/index.js';
export * from './models/t5/index.js';
export * from './models/auto/index.js';
export * from './finetune/index.js';
