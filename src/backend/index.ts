export {
  BACKEND_ENV_VAR,
  BACKEND_NAMES,
  initBackend,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
  type SkippedBackend,
} from './init-backend.js';
export { WASM_THREADS_ENV_VAR, defaultWasmThreads } from './wasm-threads.js';
export { registerGradients } from './register-gradients.js';
export { overrideKernel, restoreOriginalKernels } from './override-kernel.js';
export { registerWasmKernels } from './wasm/register-wasm-kernels.js';
export { registerCpuKernels } from './cpu/register-cpu-kernels.js';
export {
  DEFAULT_FUSED_OPS,
  FUSED_KERNEL_NAMES,
  FUSED_OP_NAMES,
  hasFusedKernel,
  registerFusedKernels,
  unregisterFusedKernels,
  type FusedBackendName,
  type FusedOpName,
} from './fused/index.js';
