/** Fused kernels (one kernel forward, one backward) for LayerNorm, tanh GELU and softmax cross-entropy. */
export { FUSED_KERNEL_NAMES, hasFusedKernel } from './kernel-names.js';
export { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels.js';
export type { FusedBackendName } from './fused-kernel.js';
