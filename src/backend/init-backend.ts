import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../utils/errors.js';
import { firstLine } from './first-line.js';
import { registerCpuKernels } from './cpu/register-cpu-kernels.js';
import { registerGradients } from './register-gradients.js';
import { registerWasmKernels } from './wasm/register-wasm-kernels.js';
import { registerFusedKernels } from './fused/index.js';
import { prepareWasmThreads, resolveWasmThreads, threadsFallbackReason } from './wasm-threads.js';

/**
 * The backends wordforge can run on, fastest first:
 * - `'tensorflow-gpu'`: native TensorFlow with CUDA, from the optional peer `@tensorflow/tfjs-node-gpu`
 * - `'tensorflow'`: native TensorFlow on the CPU, from the optional peer `@tensorflow/tfjs-node`
 * - `'wasm'`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD) with our kernel overrides; always installed
 * - `'cpu'`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript; the slow fallback
 */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Every {@link BackendName}, in the order `initBackend` tries them. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze([
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
] as const);

/** Environment variable naming the backend when {@link initBackend} gets none (`auto` = pick). */
export const BACKEND_ENV_VAR = 'WORDFORGE_BACKEND';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** The backend to use, or `'auto'` for the fastest available (default: `$WORDFORGE_BACKEND`, else auto). */
  readonly backend?: BackendName | 'auto';
  /**
   * wasm only: threads of the wasm thread pool, a whole number from 1 to
   * `os.availableParallelism()` (default: `$WORDFORGE_WASM_THREADS`, else the pool the wasm
   * backend already has, else {@link defaultWasmThreads}, 1). More than 1 loads
   * tfjs-backend-wasm's threaded SIMD build under Node `worker_threads`; ignored by the other
   * backends. Choose it in the first call of a process: a wasm backend holding tensors keeps
   * its pool (see {@link BackendInfo.threadsReason}).
   *
   * @example
   * ```ts
   * const info = await initBackend({ backend: 'wasm', threads: 2 }); // info.threads === 2
   * ```
   */
  readonly threads?: number;
}

/** A backend {@link initBackend} tried and passed over, with why. */
export interface SkippedBackend {
  /** The backend passed over. */
  readonly backend: BackendName;
  /** Why it could not be used (package missing, initialisation error...). */
  readonly reason: string;
}

/** What {@link initBackend} chose. */
export interface BackendInfo {
  /** The backend now active. */
  readonly name: BackendName;
  /** What was asked for: the option, else `$WORDFORGE_BACKEND`, else `'auto'`. */
  readonly requested: BackendName | 'auto';
  /** Faster backends that could not be used, with the reason each. */
  readonly skipped: readonly SkippedBackend[];
  /** wasm only: whether the SIMD build runs. */
  readonly simd?: boolean;
  /** wasm only: threads of the wasm thread pool, as the running module reports them. */
  readonly threads?: number;
  /**
   * wasm only, present when `threads` differs from the count asked for: why (the threaded build
   * could not start and the single-thread build runs, or the backend already held tensors).
   *
   * @example
   * ```ts
   * declare const logger: { warn(message: string): void };
   * const info = await initBackend({ backend: 'wasm', threads: 2 });
   * if (info.threadsReason != null) logger.warn(`wasm runs ${info.threads} thread(s): ${info.threadsReason}`);
   * ```
   */
  readonly threadsReason?: string;
}

interface Candidate {
  readonly name: BackendName;
  /** The name tfjs registers the backend under. */
  readonly tfjsName: string;
  readonly packageName: string;
  /**
   * Loads the package, which registers the backend factory; given the wasm thread count asked
   * for, returns why the backend will run with another count, if it will.
   */
  readonly load: (threads: number | undefined) => Promise<string | null>;
  /** Kernel overrides and settings once the backend is active. */
  readonly prepare: () => void;
}

/** Dynamic import of an optional peer; a variable specifier keeps TypeScript from resolving it. */
function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

const candidates: readonly Candidate[] = [
  {
    name: 'tensorflow-gpu',
    tfjsName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node-gpu',
    load: () => importOptional('@tensorflow/tfjs-node-gpu').then(() => null),
    prepare: () => undefined,
  },
  {
    name: 'tensorflow',
    tfjsName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    load: () => importOptional('@tensorflow/tfjs-node').then(() => null),
    prepare: () => undefined,
  },
  {
    name: 'wasm',
    tfjsName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    load: async (threads) => {
      await import('@tensorflow/tfjs-backend-wasm');
      return prepareWasmThreads(threads);
    },
    prepare: () => {
      registerWasmKernels();
      registerFusedKernels('wasm');
    },
  },
  {
    name: 'cpu',
    tfjsName: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    load: () => import('@tensorflow/tfjs-backend-cpu').then(() => null),
    prepare: () => {
      registerCpuKernels();
      registerFusedKernels('cpu');
      // tfjs-backend-cpu writes a "Hi, looks like you are running TensorFlow.js in Node.js"
      // banner to the console on first use unless PROD is set; library code never prints.
      tf.env().set('PROD', true);
    },
  },
];

/** A backend made active (with why its wasm thread pool differs from the count asked for), or why not. */
type Activation = { readonly failure: string } | { readonly threadsReason: string | null };

/** Makes `candidate` the active backend, or says why it cannot be. */
async function activate(candidate: Candidate, threads: number | undefined): Promise<Activation> {
  let threadsReason: string | null;
  try {
    threadsReason = await candidate.load(threads);
  } catch (error) {
    return { failure: `cannot load ${candidate.packageName}: ${firstLine(error)}` };
  }
  if (tf.findBackendFactory(candidate.tfjsName) == null) {
    return { failure: `${candidate.packageName} loaded but registered no '${candidate.tfjsName}' backend ` +
      `with this @tensorflow/tfjs-core ${tf.version_core} (two tfjs-core copies?)` };
  }
  if (tf.engine().backendName !== candidate.tfjsName) {
    let ok: boolean;
    try {
      ok = await tf.setBackend(candidate.tfjsName);
    } catch (error) {
      return { failure: `tf.setBackend('${candidate.tfjsName}') threw: ${firstLine(error)}` };
    }
    if (!ok) return { failure: `tf.setBackend('${candidate.tfjsName}') failed to initialise it` };
  }
  candidate.prepare();
  return { threadsReason };
}

function resolveRequest(option: BackendName | 'auto' | undefined): BackendName | 'auto' {
  const fromEnv = process.env[BACKEND_ENV_VAR]?.trim().toLowerCase();
  const raw: string = option ?? (fromEnv != null && fromEnv !== '' ? fromEnv : 'auto');
  if (raw !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(raw)) {
    const source = option != null ? 'the backend option' : `$${BACKEND_ENV_VAR}`;
    throw new BackendError(`unknown backend '${raw}' (from ${source}); ` +
      `expected one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  return raw as BackendName | 'auto';
}

interface Chosen {
  readonly name: BackendName;
  readonly requested: BackendName | 'auto';
  readonly skipped: SkippedBackend[];
  /** Why the wasm backend kept another pool size than the one asked for, from {@link prepareWasmThreads}. */
  readonly threadsReason: string | null;
}

async function describe({ name, requested, skipped, threadsReason }: Chosen): Promise<BackendInfo> {
  if (name !== 'wasm') return Object.freeze({ name, requested, skipped: Object.freeze(skipped) });
  const reason = threadsReason ?? threadsFallbackReason(tf.engine().backend);
  return Object.freeze({
    name,
    requested,
    skipped: Object.freeze(skipped),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean,
    threads: (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount(),
    ...(reason == null ? {} : { threadsReason: reason }),
  });
}

async function select(options: InitBackendOptions): Promise<BackendInfo> {
  registerGradients();
  const requested = resolveRequest(options.backend);
  const threads = resolveWasmThreads(options.threads);
  if (requested !== 'auto') {
    const candidate = candidates.find((c) => c.name === requested) as Candidate;
    const activation = await activate(candidate, threads);
    if ('failure' in activation) {
      throw new BackendError(`backend '${requested}' cannot be initialised: ${activation.failure}`);
    }
    return describe({ name: requested, requested, skipped: [], ...activation });
  }
  const skipped: SkippedBackend[] = [];
  for (const candidate of candidates) {
    const activation = await activate(candidate, threads);
    if (!('failure' in activation)) return describe({ name: candidate.name, requested, skipped, ...activation });
    skipped.push({ backend: candidate.name, reason: activation.failure });
  }
  throw new BackendError(`no backend could be initialised: ${skipped
    .map((s) => `${s.backend} (${s.reason})`).join('; ')}`);
}

/** Calls run one after another, so concurrent callers never race on `tf.setBackend`. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Picks and prepares the tfjs backend: the one asked for (option, else `$WORDFORGE_BACKEND`),
 * or the fastest that works, in the order of {@link BACKEND_NAMES}. The tfjs-node packages are
 * optional peers, loaded only if installed. It always registers tfjs's gradients and installs
 * our kernel overrides and fused kernels for the chosen backend (see {@link registerWasmKernels},
 * {@link registerCpuKernels}, {@link registerFusedKernels}). On `cpu` it sets tfjs's `PROD` flag, which silences tfjs's
 * console banner and warnings. Idempotent: safe to call many times.
 *
 * On wasm, `threads` (else `$WORDFORGE_WASM_THREADS`) above 1 runs tfjs-backend-wasm's threaded
 * SIMD build under Node `worker_threads`; if it cannot start, the single-thread build runs and
 * `threadsReason` says why. The threads never keep Node alive.
 *
 * @param options - `backend`: a {@link BackendName} or `'auto'`; `threads`: the wasm pool size
 * @returns the chosen backend, what was requested, why faster ones were skipped, and on wasm
 *   the thread-pool size the module really runs
 * @throws BackendError when the requested backend is unknown or cannot be initialised, or the
 *   thread count is not a whole number from 1 to `os.availableParallelism()`
 * @example
 * ```ts
 * const info = await initBackend();           // or initBackend({ backend: 'wasm', threads: 2 })
 * // info = { name: 'wasm', requested: 'auto', skipped: [...tfjs-node not installed...], simd: true, threads: 1 }
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const result = queue.then(() => select(options));
  queue = result.catch(() => undefined);
  return result;
}
