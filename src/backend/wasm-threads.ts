import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assert } from '../utils/assert.js';
import { BackendError } from '../utils/errors.js';
import { firstLine } from './first-line.js';
import { restoreOriginalKernels } from './override-kernel.js';

/**
 * Environment variable giving the wasm thread-pool size when {@link initBackend} gets no
 * `threads` option (a whole number from 1 to the cores Node reports).
 *
 * @example
 * ```ts
 * process.env[WASM_THREADS_ENV_VAR] = '2'; // or: WORDFORGE_WASM_THREADS=2 node train.js
 * const info = await initBackend({ backend: 'wasm' }); // info.threads === 2
 * ```
 */
export const WASM_THREADS_ENV_VAR = 'WORDFORGE_WASM_THREADS';

/** The `.js`, `.worker.js` and `.wasm` files of tfjs-backend-wasm's threaded SIMD build. */
const THREADED_BUILD = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd';

/** Emscripten's pthread bookkeeping, which the threaded module exposes as `PThread`. */
interface PThreads {
  readonly runningWorkers: Worker[];
  unusedWorkers: Worker[];
  terminateAllThreads(): void;
}

/** The Emscripten module as tfjs's `BackendWasm` expects it (with the `tfjs` bridge filled in). */
type BackendWasmModule = ConstructorParameters<typeof BackendWasm>[0];

/** The threaded Emscripten module, with its pthread bookkeeping. */
type ThreadedModule = BackendWasmModule & {
  PThread: PThreads;
  cwrap(name: string, returnType: 'number' | null, argTypes: string[]): (...args: number[]) => unknown;
};

/** The parts of the `WebAssembly` global used here (this project's TypeScript lib has no DOM types). */
interface WebAssemblyApi {
  instantiate(binary: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => object;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** What Emscripten passes to `instantiateWasm`: the wasm imports, of which `env` holds its JS library. */
interface Imports {
  env: Record<string, unknown>;
}

/** The settings of the Emscripten module factory that we fill in. */
interface ModuleSettings {
  mainScriptUrlOrBlob: string;
  locateFile(path: string, prefix: string): string | URL;
  instantiateWasm(imports: Imports, receive: (instance: object, module: object) => void): object;
  print(message: string): void;
  printErr(message: string): void;
  /** Set by Emscripten: the factory's settings object becomes the module. */
  readonly PThread?: PThreads;
}

/** The stock (single-thread SIMD) wasm factory tfjs registered, kept for 1 thread and fallbacks. */
let stockFactory: { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number } | undefined;
/** Why a backend built for more than one thread runs on the single-thread build instead. */
const fallbackReasons = new WeakMap<tf.KernelBackend, string>();

/** `require` resolving from this file, in the ESM and CJS bundles and under tsx/vitest alike. */
function requireHere(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url);
}

/**
 * The thread count {@link initBackend} uses when neither the `threads` option nor
 * {@link WASM_THREADS_ENV_VAR} gives one and no wasm backend runs yet: 1, even where
 * `os.availableParallelism()` is 2 or more. Measured with `npm run bench -- --config small
 * --backends wasm,wasm-threads --repeat 4` on a 2-core machine shared with other jobs, 2 threads
 * paid only while a core sat idle: `small` medians of 909 vs 543 tok/s at load average ~3.5, but
 * 348 vs 401 at ~5 and 185 vs 208 at 10-12. On `tiny` (hidden size 128) they always lost (1,548
 * vs 4,264 tok/s at ~3.5): handing each small op to the pool costs more than it saves. Each
 * extra thread is also a Node worker with its own heap, and the threaded build leans on tfjs and
 * Emscripten internals, so more threads stay opt-in: measure on your machine first.
 *
 * @returns the default wasm thread-pool size
 * @example
 * ```ts
 * defaultWasmThreads(); // 1
 * ```
 */
export function defaultWasmThreads(): number {
  return 1;
}

/**
 * The wasm thread count asked for: the option, else {@link WASM_THREADS_ENV_VAR}, checked to be a
 * whole number from 1 to `os.availableParallelism()`; undefined when neither gives one.
 *
 * @param option - the `threads` option of {@link initBackend}, if given
 * @returns the validated thread count, or undefined when none was asked for
 * @throws BackendError when the count is not a whole number from 1 to the cores Node reports
 * @example
 * ```ts
 * resolveWasmThreads(2); // 2 on a machine with at least 2 cores
 * ```
 */
export function resolveWasmThreads(option: number | undefined): number | undefined {
  const fromEnv = process.env[WASM_THREADS_ENV_VAR]?.trim();
  const raw: number | string | undefined = option ?? (fromEnv === '' ? undefined : fromEnv);
  if (raw === undefined) return undefined;
  const threads = Number(raw);
  const cores = availableParallelism();
  assert(Number.isInteger(threads) && threads >= 1 && threads <= cores, BackendError, () => {
    const source = option != null ? 'the threads option' : `$${WASM_THREADS_ENV_VAR}`;
    const shown = typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
    return `wasm threads (${shown}, from ${source}) must be a whole number from 1 to ${cores}, ` +
      'the cores os.availableParallelism() reports';
  });
  return threads;
}

/**
 * The pthread worker as a `data:` URL (Node's `Worker` takes no blob URLs, and tfjs ships the
 * worker only as a string export): it evaluates that string with the CommonJS `require` and
 * `__filename` it expects; the worker then loads the main script from disk.
 */
function pthreadWorkerUrl(workerModule: string, mainScript: string): URL {
  const source = [
    "import { createRequire } from 'node:module';",
    "import { runInThisContext } from 'node:vm';",
    `const require = createRequire(${JSON.stringify(workerModule)});`,
    `const { wasmWorkerContents } = require(${JSON.stringify(workerModule)});`,
    // The string holds raw newlines inside its "\n" string literals: escape them back.
    String.raw`const body = wasmWorkerContents.replace(/\n/g, '\\n');`,
    String.raw`runInThisContext('(function (require, __filename) {' + body + '\n})')` +
      `(require, ${JSON.stringify(mainScript)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Why this process cannot run the threaded SIMD build at all, or null when it can. */
async function threadedBuildUnsupported(): Promise<string | null> {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available';
  try {
    new webAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (error) {
    return `WebAssembly shared memory is not available: ${firstLine(error)}`;
  }
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return 'WebAssembly SIMD is not available';
  return null;
}

/**
 * Instantiates the threaded SIMD module. tfjs sizes XNNPACK's pool at most
 * `emscripten_num_logical_cores() / 2` (it assumes two hardware threads per core), so the module
 * is told of `2 * threads` cores: the pool then has exactly the threads asked for.
 */
async function instantiateThreadedModule(threads: number): Promise<ThreadedModule> {
  const require = requireHere();
  const mainScript = require.resolve(`${THREADED_BUILD}.js`);
  const workerUrl = pthreadWorkerUrl(require.resolve(`${THREADED_BUILD}.worker.js`), mainScript);
  const binary = await readFile(require.resolve(`${THREADED_BUILD}.wasm`));
  const factory = require(mainScript) as (settings: ModuleSettings) => Promise<ThreadedModule>;
  const messages: string[] = [];
  let failed: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => { failed = reject; });
  const settings: ModuleSettings = {
    mainScriptUrlOrBlob: mainScript,
    locateFile: (path, prefix) => (path.endsWith('.worker.js') ? workerUrl : prefix + path),
    instantiateWasm: (imports, receive) => {
      assert(typeof imports.env['emscripten_num_logical_cores'] === 'function', BackendError,
        () => 'the threaded wasm build no longer imports emscripten_num_logical_cores (tfjs-backend-wasm changed)');
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      webAssembly.instantiate(binary, imports).then(({ instance, module }) => {
        // Emscripten starts 8 workers up front; end those the pool will not use before the
        // module is sent to each of them.
        for (const worker of settings.PThread?.unusedWorkers.splice(threads - 1) ?? []) void worker.terminate();
        receive(instance, module);
      }, failed);
      return {};
    },
    print: (message) => messages.push(message),
    printErr: (message) => messages.push(message),
  };
  try {
    return await Promise.race([factory(settings), failure]);
  } catch (error) {
    settings.PThread?.terminateAllThreads(); // workers waiting for a module would keep Node alive
    throw new BackendError([firstLine(error), ...messages].join('; '));
  }
}

/**
 * A tfjs `BackendWasm` on the threaded SIMD build with a pool of `threads`. Its threads block in
 * the wasm module between kernels; they are `unref`ed so that they never keep Node alive.
 */
async function createThreadedBackend(threads: number): Promise<tf.KernelBackend> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const module = await instantiateThreadedModule(threads);
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  } as BackendWasmModule['tfjs'];
  wasm.setThreadsCount(threads);
  let backend: tf.KernelBackend;
  try {
    backend = new wasm.BackendWasm(module);
  } catch (error) {
    module.PThread.terminateAllThreads();
    throw error;
  }
  for (const worker of module.PThread.runningWorkers) worker.unref();
  const running = wasm.getThreadsCount();
  if (running !== threads) fallbackReasons.set(backend, `${threads} threads asked for, the threaded wasm module runs ${running}`);
  return backend;
}

/** A backend factory for `threads`, falling back to the stock build with the reason recorded. */
function threadedFactory(threads: number, stock: NonNullable<typeof stockFactory>): () => Promise<tf.KernelBackend> {
  return async () => {
    let reason = await threadedBuildUnsupported();
    if (reason == null) {
      try {
        return await createThreadedBackend(threads);
      } catch (error) {
        reason = `the threaded wasm build failed to start: ${firstLine(error)}`;
      }
    }
    const backend = await stock.factory();
    fallbackReasons.set(backend, `${reason}; running the single-thread build`);
    return backend;
  };
}

/** The pool size of the live wasm backend, or null when none is initialised. */
async function liveThreads(): Promise<number | null> {
  if (tf.engine().registry['wasm'] == null) return null;
  return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}

/**
 * Registers, under tfjs's `'wasm'` name, the factory for a pool of `asked` threads: tfjs's own
 * single-thread SIMD build for 1, the threaded SIMD build under Node `worker_threads` for more.
 * A wasm backend already initialised with another pool size is replaced when it holds no
 * tensors (wordforge's kernel overrides are set up again by {@link initBackend}); otherwise it
 * stays, and the returned reason says so. With `asked` undefined, a live backend keeps its
 * pool and a new one gets {@link defaultWasmThreads}. Call after importing
 * `@tensorflow/tfjs-backend-wasm` and before `tf.setBackend('wasm')`; {@link initBackend} does.
 *
 * @param asked - the pool size asked for, from {@link resolveWasmThreads}; undefined for none
 * @returns why the live backend keeps another pool size, or null
 * @example
 * ```ts
 * await import('@tensorflow/tfjs-backend-wasm');
 * await prepareWasmThreads(2);
 * await tf.setBackend('wasm');
 * ```
 */
export async function prepareWasmThreads(asked: number | undefined): Promise<string | null> {
  stockFactory ??= tf.engine().registryFactory['wasm'];
  assert(stockFactory != null, BackendError, () => "@tensorflow/tfjs-backend-wasm registered no 'wasm' backend");
  const current = await liveThreads();
  if (current != null && (asked === undefined || asked === current)) return null;
  const threads = asked ?? defaultWasmThreads();
  if (current != null) {
    const held = (tf.engine().registry['wasm'] as tf.KernelBackend).numDataIds();
    if (held > 0) {
      return `the wasm backend already runs with ${current} thread(s) and holds ${held} tensor(s); ` +
        'choose threads in the first initBackend call of the process';
    }
    // Kernels tfjs set up for the old module must be set up again for the new one.
    restoreOriginalKernels('wasm');
  }
  const stock = stockFactory;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', threads === 1 ? stock.factory : threadedFactory(threads, stock), stock.priority);
  return null;
}

/**
 * Why a wasm backend built by {@link prepareWasmThreads} for more than one thread runs on the
 * single-thread build (SharedArrayBuffer missing, threaded files missing, workers refused...).
 *
 * @param backend - a tfjs backend instance, e.g. `tf.engine().backend`
 * @returns the reason, or undefined when nothing fell back
 * @example
 * ```ts
 * const reason = threadsFallbackReason(tf.engine().backend);
 * ```
 */
export function threadsFallbackReason(backend: tf.KernelBackend): string | undefined {
  return fallbackReasons.get(backend);
}
