import { overrideKernel } from '../override-kernel.js';
import { wasmBatchMatMulConfig } from './batch-mat-mul.js';
import { wasmGatherV2Config } from './gather.js';
import { wasmIdentityConfig } from './identity.js';
import { wasmSumConfig } from './sum.js';
import { wasmTransposeConfig } from './transpose.js';
import { wasmUnpackConfig } from './unpack.js';
import { wasmUnsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/**
 * Installs our wasm kernels in place of (or, for `UnsortedSegmentSum`, in addition to) those of
 * `@tensorflow/tfjs-backend-wasm` 4.22: `BatchMatMul` that always reaches XNNPACK, a blocked
 * JavaScript `Transpose`, a `Sum` over leading axes without a transpose, an `Identity` that
 * shares memory, an `Unpack` without `Slice`, a `GatherV2` copying whole rows, and the missing
 * `UnsortedSegmentSum` (the gradient of `gather`).
 * Idempotent; {@link restoreOriginalKernels}`('wasm')` undoes it. {@link initBackend} calls it.
 *
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * registerWasmKernels();
 * ```
 */
export function registerWasmKernels(): void {
  overrideKernel(wasmBatchMatMulConfig);
  overrideKernel(wasmTransposeConfig);
  overrideKernel(wasmSumConfig);
  overrideKernel(wasmIdentityConfig);
  overrideKernel(wasmUnpackConfig);
  overrideKernel(wasmGatherV2Config);
  overrideKernel(wasmUnsortedSegmentSumConfig);
}
