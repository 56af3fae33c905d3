/** Weight-owning building blocks of Transformer models. */
export { Module, loadNamedParameters } from './module.js';
export type { LoadStateDictOptions, StateDict } from './module.js';
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { LayerNorm } from './layer-norm.js';
export type { LayerNormOptions } from './layer-norm.js';
export { RMSNorm } from './rms-norm.js';
export type { RMSNormOptions } from './rms-norm.js';
export { Dropout } from './dropout.js';
export type { DropoutLayerOptions } from './dropout.js';
export { FeedForward } from './feed-forward.js';
export type { FeedForwardOptions } from './feed-forward.js';
export { LearnedPositionEmbedding } from './learned-position-embedding.js';
export type { LearnedPositionEmbeddingOptions } from './learned-position-embedding.js';
export { SinusoidalPositionEmbedding } from './sinusoidal-position-embedding.js';
export { RotaryEmbedding } from './rotary-embedding.js';
export type { RotaryEmbeddingOptions } from './rotary-embedding.js';
export { appendKVCache, disposeKVCache, kvCacheLength } from './kv-cache.js';
export type { KVCache } from './kv-cache.js';
export { MultiHeadAttention } from './multi-head-attention.js';
export type {
  MultiHeadAttentionForwardOptions, MultiHeadAttentionOptions, MultiHeadAttentionOutput,
} from './multi-head-attention.js';
export { TransformerBlock } from './transformer-block.js';
export type {
  TransformerBlockForwardOptions, TransformerBlockOptions, TransformerBlockOutput,
} from './transformer-block.js';
export { recompute } from './recompute.js';
export type { RecomputeOptions, RecomputeRandomState } from './recompute.js';
export { assertPositionsInRange, assertPositiveInteger } from './validate.js';
