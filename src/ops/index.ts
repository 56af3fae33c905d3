/** Stateless tensor functions: activations, masks, attention, normalisation, dropout, losses. */
export { activation, gelu, geluTanh, relu, silu } from './activations.js';
export type { Activation, ActivationName } from './activations.js';
export { MASK_VALUE, causalMask, paddingMask } from './masks.js';
export { scaledDotProductAttention } from './attention.js';
export type { AttentionOptions } from './attention.js';
export { crossEntropy } from './cross-entropy.js';
export type { CrossEntropyOptions } from './cross-entropy.js';
export { dropout, assertDropoutRate } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export { layerNorm } from './layer-norm.js';
export { rmsNorm } from './rms-norm.js';
