/** Fused kernels (one kernel forward, one backward) for LayerNorm, tanh GELU and softmax cross-entropy. */
export { FUSED_KERNEL_NAMES, hasFusedKernel } from './kernel-names.js';
export {
  DEFAULT_FUSED_OPS, FUSED_OP_NAMES, registerFusedKernels, unregisterFusedKernels, type FusedOpName,
} from './register-fused-kernels.js';
export type { FusedBackendName } from './fused-kernel.js';
