import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { BackendError } from '../utils/errors.js';

/** What tfjs passes to a kernel function: its input tensors, the backend and its attributes. */
export interface KernelArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: unknown;
  readonly attrs?: tf.NamedAttrMap;
}

/** The kernel each override replaced (`undefined` where the backend had none), by registry key. */
const replaced = new Map<string, tf.KernelConfig | undefined>();

function registryKey(kernelName: string, backendName: string): string {
  return `${backendName}_${kernelName}`;
}

/**
 * Registers `config` in tfjs's global kernel registry in place of whatever kernel the backend had
 * for that op, remembering the replaced kernel so {@link restoreOriginalKernels} can put it back.
 * tfjs warns when a kernel is registered twice; this unregisters first, so nothing is printed.
 * Registering the same kernel function again is a no-op, so it is safe to call many times.
 *
 * @param config - the kernel to install (its `kernelName` and `backendName` select the slot)
 * @example
 * ```ts
 * declare const myTranspose: tf.KernelFunc;
 * overrideKernel({ kernelName: 'Transpose', backendName: 'wasm', kernelFunc: myTranspose });
 * ```
 */
export function overrideKernel(config: tf.KernelConfig): void {
  const { kernelName, backendName } = config;
  const current = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
  if (current?.kernelFunc === config.kernelFunc) return;
  const key = registryKey(kernelName, backendName);
  if (!replaced.has(key)) replaced.set(key, current);
  if (current != null) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(config);
}

/**
 * Runs the kernel a backend had for an op before {@link overrideKernel} replaced it (or the one
 * it has now, when nothing replaced it): what an override calls for the cases it does not speed up.
 *
 * @param kernelName - the tfjs kernel name (`'Sum'`)
 * @param backendName - the tfjs backend name (`'wasm'`)
 * @param args - the kernel's inputs, backend and attributes, passed on unchanged
 * @returns what that kernel returns
 * @throws BackendError when the backend has no kernel of that name
 * @example
 * ```ts
 * // a Sum override that hands the cases it does not speed up back to the shipped kernel
 * const sumOverride: tf.KernelFunc = (args) => runOriginalKernel('Sum', 'wasm', args) as tf.TensorInfo;
 * ```
 */
export function runOriginalKernel(
  kernelName: string,
  backendName: string,
  args: KernelArgs,
): tf.TensorInfo | tf.TensorInfo[] {
  const key = registryKey(kernelName, backendName);
  const original = replaced.has(key)
    ? replaced.get(key)
    : (tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined);
  assert(original !== undefined, BackendError, () => `the ${backendName} backend has no ${kernelName} kernel`);
  return original.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}

/**
 * Puts back, for one backend, every kernel that {@link overrideKernel} replaced, and removes
 * overrides of ops the backend did not have. Used to measure a backend "as it comes".
 *
 * @param backendName - the tfjs backend name (`'wasm'`, `'cpu'`)
 * @returns how many kernels were restored or removed
 * @example
 * ```ts
 * restoreOriginalKernels('wasm'); // wasm as shipped by tfjs
 * registerWasmKernels();          // our fast kernels again
 * ```
 */
export function restoreOriginalKernels(backendName: string): number {
  let restored = 0;
  for (const [key, original] of [...replaced]) {
    if (!key.startsWith(`${backendName}_`)) continue;
    const kernelName = key.slice(backendName.length + 1);
    tf.unregisterKernel(kernelName, backendName);
    if (original != null) tf.registerKernel(original);
    replaced.delete(key);
    restored++;
  }
  return restored;
}
