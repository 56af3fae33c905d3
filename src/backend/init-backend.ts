import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../utils/errors.js';
import { registerCpuKernels } from './cpu/register-cpu-kernels.js';
import { registerGradients } from './register-gradients.js';
import { registerWasmKernels } from './wasm/register-wasm-kernels.js';

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
  /** wasm only: threads of the wasm thread pool. */
  readonly threads?: number;
}

interface Candidate {
  readonly name: BackendName;
  /** The name tfjs registers the backend under. */
  readonly tfjsName: string;
  readonly packageName: string;
  readonly load: () => Promise<unknown>;
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
    load: () => importOptional('@tensorflow/tfjs-node-gpu'),
    prepare: () => undefined,
  },
  {
    name: 'tensorflow',
    tfjsName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    load: () => importOptional('@tensorflow/tfjs-node'),
    prepare: () => undefined,
  },
  {
    name: 'wasm',
    tfjsName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    load: () => import('@tensorflow/tfjs-backend-wasm'),
    prepare: registerWasmKernels,
  },
  {
    name: 'cpu',
    tfjsName: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    load: () => import('@tensorflow/tfjs-backend-cpu'),
    prepare: () => {
      registerCpuKernels();
      // tfjs-backend-cpu writes a "Hi, looks like you are running TensorFlow.js in Node.js"
      // banner to the console on first use unless PROD is set; library code never prints.
      tf.env().set('PROD', true);
    },
  },
];

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Makes `candidate` the active backend, or says why it cannot be. */
async function activate(candidate: Candidate): Promise<string | null> {
  try {
    await candidate.load();
  } catch (error) {
    return `cannot load ${candidate.packageName}: ${firstLine(error)}`;
  }
  if (tf.findBackendFactory(candidate.tfjsName) == null) {
    return `${candidate.packageName} loaded but registered no '${candidate.tfjsName}' backend ` +
      `with this @tensorflow/tfjs-core ${tf.version_core} (two tfjs-core copies?)`;
  }
  if (tf.engine().backendName !== candidate.tfjsName) {
    let ok: boolean;
    try {
      ok = await tf.setBackend(candidate.tfjsName);
    } catch (error) {
      return `tf.setBackend('${candidate.tfjsName}') threw: ${firstLine(error)}`;
    }
    if (!ok) return `tf.setBackend('${candidate.tfjsName}') failed to initialise it`;
  }
  candidate.prepare();
  return null;
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

async function describe(name: BackendName, requested: BackendName | 'auto',
  skipped: SkippedBackend[]): Promise<BackendInfo> {
  if (name !== 'wasm') return Object.freeze({ name, requested, skipped: Object.freeze(skipped) });
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return Object.freeze({
    name,
    requested,
    skipped: Object.freeze(skipped),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean,
    threads: wasm.getThreadsCount(),
  });
}

async function select(options: InitBackendOptions): Promise<BackendInfo> {
  registerGradients();
  const requested = resolveRequest(options.backend);
  if (requested !== 'auto') {
    const candidate = candidates.find((c) => c.name === requested) as Candidate;
    const reason = await activate(candidate);
    if (reason != null) throw new BackendError(`backend '${requested}' cannot be initialised: ${reason}`);
    return describe(requested, requested, []);
  }
  const skipped: SkippedBackend[] = [];
  for (const candidate of candidates) {
    const reason = await activate(candidate);
    if (reason == null) return describe(candidate.name, requested, skipped);
    skipped.push({ backend: candidate.name, reason });
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
 * our kernel overrides for the chosen backend (see {@link registerWasmKernels},
 * {@link registerCpuKernels}). On `cpu` it sets tfjs's `PROD` flag, which silences tfjs's
 * console banner and warnings. Idempotent: safe to call many times.
 *
 * @param options - `backend`: a {@link BackendName} or `'auto'`
 * @returns the chosen backend, what was requested and why faster ones were skipped
 * @throws BackendError when the requested backend is unknown or cannot be initialised
 * @example
 * ```ts
 * const info = await initBackend();           // or initBackend({ backend: 'wasm' })
 * // info = { name: 'wasm', requested: 'auto', skipped: [...tfjs-node not installed...], simd: true, threads: 1 }
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const result = queue.then(() => select(options));
  queue = result.catch(() => undefined);
  return result;
}
