import { overrideKernel } from '../override-kernel.js';
import { cpuUnsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/**
 * Installs our cpu kernels in place of those of `@tensorflow/tfjs-backend-cpu` 4.22: an
 * O(size(x)) `UnsortedSegmentSum` (the gradient of `gather`). Idempotent;
 * {@link restoreOriginalKernels}`('cpu')` undoes it. {@link initBackend} calls it.
 *
 * @example
 * ```ts
 * await tf.setBackend('cpu');
 * registerCpuKernels();
 * ```
 */
export function registerCpuKernels(): void {
  overrideKernel(cpuUnsortedSegmentSumConfig);
}
