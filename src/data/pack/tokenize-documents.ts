import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { assert } from '../../utils/assert.js';
import { RangeArgumentError, WordforgeError } from '../../utils/errors.js';
import { encodeDocument, tokenizerFromSaved, type DocumentTokenizer } from './document-tokenizer.js';
import { DocumentTokenizeError } from './pack-errors.js';
import type { TokenizeReply, TokenizeRequest, TokenizeWorkerData } from './tokenize-protocol.js';

/**
 * Counts of a {@link tokenizeDocuments} run.
 * @example
 * ```ts
 * const summary: TokenizeSummary = { documents: 10, tokens: 4200, skipped: 1, errors: ['document 3: VocabularyError: ...'] };
 * ```
 */
export interface TokenizeSummary {
  /** Documents read (tokenised or skipped). */
  readonly documents: number;
  /** Document tokens produced (separators not included). */
  readonly tokens: number;
  /** Documents skipped because the tokenizer rejected them (`onInvalid: 'skip'`). */
  readonly skipped: number;
  /** The first few rejections, `document N: Error: message`. */
  readonly errors: readonly string[];
}

/**
 * Options of {@link tokenizeDocuments}.
 * @example
 * ```ts
 * const summaries: TokenizeSummary[] = [];
 * const options: TokenizeDocumentsOptions = { eosId: 0, workers: 2, onInvalid: 'skip', onSummary: (s) => summaries.push(s) };
 * ```
 */
export interface TokenizeDocumentsOptions {
  /** Appended to every document's ids (end of text); none when undefined. */
  readonly eosId?: number;
  /**
   * Whether a `Tokenizer` adds its post-processor's special tokens (`[CLS]`, `[SEP]`...); default:
   * the tokenizer's own default (yes). Workers rebuild the tokenizer from `toJSON()`, so set this
   * here rather than wrapping `encode`.
   */
  readonly addSpecialTokens?: boolean;
  /** Worker threads tokenising in parallel (order is kept); 0 (default) tokenises on this thread. */
  readonly workers?: number;
  /** Documents per message to a worker. Default 256. */
  readonly batchDocuments?: number;
  /** `'throw'` (default) stops at a document the tokenizer rejects; `'skip'` counts it and goes on. */
  readonly onInvalid?: 'throw' | 'skip';
  /** Called once with the final counts when the stream ends. */
  readonly onSummary?: (summary: TokenizeSummary) => void;
}

const KEPT_ERRORS = 5;

/**
 * The worker for this build: `tokenize-worker.js`/`.cjs` next to the built module (`dist`), or, when
 * running from the TypeScript sources (vitest, tsx), a bootstrap that registers tsx's loader first.
 */
function startWorker(data: TokenizeWorkerData): Worker {
  const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
  const extension = here.endsWith('.cjs') ? 'cjs' : here.endsWith('.ts') ? 'ts' : 'js';
  for (const relative of [`./tokenize-worker.${extension}`, `./data/tokenize-worker.${extension}`]) {
    const url = new URL(relative, here);
    if (!existsSync(fileURLToPath(url))) continue;
    if (extension !== 'ts') return new Worker(url, { workerData: data });
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(bootstrap, { eval: true, workerData: data });
  }
  throw new RangeArgumentError(`tokenize worker script not found next to ${here}: use workers: 0`);
}

/** Tracks counts and the skip/throw policy shared by both paths. */
class Tally {
  documents = 0;
  tokens = 0;
  skipped = 0;
  readonly errors: string[] = [];
  constructor(private readonly onInvalid: 'throw' | 'skip') {}

  /** Records a document; returns its ids, or null when skipped. */
  record(ids: Int32Array, error: string | null): Int32Array | null {
    const index = this.documents++;
    if (error !== null) {
      const message = `document ${index}: ${error}`;
      if (this.onInvalid === 'throw') throw new DocumentTokenizeError(message);
      this.skipped++;
      if (this.errors.length < KEPT_ERRORS) this.errors.push(message);
      return null;
    }
    this.tokens += ids.length;
    return ids;
  }

  summary(): TokenizeSummary {
    return { documents: this.documents, tokens: this.tokens, skipped: this.skipped, errors: [...this.errors] };
  }
}

function withEos(ids: Int32Array, eosId: number | undefined): Int32Array {
  if (eosId === undefined) return ids;
  const out = new Int32Array(ids.length + 1);
  out.set(ids);
  out[ids.length] = eosId;
  return out;
}

function encodeOrError(tokenizer: DocumentTokenizer, text: unknown, addSpecialTokens: boolean | undefined): { ids: Int32Array; error: string | null } {
  if (typeof text !== 'string') return { ids: new Int32Array(0), error: `not a string (${typeof text})` };
  try {
    return { ids: encodeDocument(tokenizer, text, addSpecialTokens), error: null };
  } catch (error) {
    if (!(error instanceof WordforgeError)) throw error;
    return { ids: new Int32Array(0), error: `${error.name}: ${error.message}` };
  }
}

async function* tokenizeHere(docs: AsyncIterable<string> | Iterable<string>, tokenizer: DocumentTokenizer,
  options: TokenizeDocumentsOptions, tally: Tally): AsyncGenerator<Int32Array> {
  for await (const text of docs) {
    const { ids, error } = encodeOrError(tokenizer, text, options.addSpecialTokens);
    const kept = tally.record(ids, error);
    if (kept) yield withEos(kept, options.eosId);
  }
}

async function* tokenizeInWorkers(docs: AsyncIterable<string> | Iterable<string>, tokenizer: DocumentTokenizer,
  options: TokenizeDocumentsOptions, tally: Tally): AsyncGenerator<Int32Array> {
  assert(typeof tokenizer.toJSON === 'function', RangeArgumentError, () => 'tokenizing in workers needs a tokenizer with toJSON()');
  const data: TokenizeWorkerData = { tokenizerJSON: JSON.stringify(tokenizer.toJSON()), addSpecialTokens: options.addSpecialTokens };
  tokenizerFromSaved(JSON.parse(data.tokenizerJSON)); // a tokenizer the workers cannot rebuild fails here, with its typed error
  const workers = Array.from({ length: options.workers! }, () => startWorker(data));
  const waiting = new Map<number, { resolve: (reply: TokenizeReply) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on('message', (reply: TokenizeReply) => {
      waiting.get(reply.id)?.resolve(reply);
      waiting.delete(reply.id);
    });
    worker.on('error', (error: Error) => failAll(new DocumentTokenizeError(`a tokenize worker failed: ${error.message}`)));
    worker.on('exit', (code) => failAll(new DocumentTokenizeError(`a tokenize worker exited early (code ${code})`)));
  }
  const inFlight: Promise<TokenizeReply>[] = [];
  const batchSize = options.batchDocuments ?? 256;
  let nextId = 0;
  const send = (texts: unknown[]): void => {
    if (failure) throw failure;
    const request: TokenizeRequest = { id: nextId++, texts };
    inFlight.push(new Promise((resolve, reject) => waiting.set(request.id, { resolve, reject })));
    workers[request.id % workers.length]!.postMessage(request);
  };
  async function* drain(keep: number): AsyncGenerator<Int32Array> {
    while (inFlight.length > keep) {
      const reply = await inFlight.shift()!;
      for (let i = 0; i < reply.ids.length; i++) {
        const kept = tally.record(reply.ids[i]!, reply.errors[i]!);
        if (kept) yield withEos(kept, options.eosId);
      }
    }
  }
  try {
    let texts: unknown[] = [];
    for await (const text of docs) {
      texts.push(text);
      if (texts.length < batchSize) continue;
      send(texts);
      texts = [];
      yield* drain(2 * workers.length);
    }
    if (texts.length > 0) send(texts);
    yield* drain(0);
  } finally {
    failAll(new RangeArgumentError('tokenizeDocuments stopped'));
    inFlight.forEach((p) => p.catch(() => undefined));
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Tokenises a stream of documents, one Int32Array of ids per document in input order, optionally
 * with `eosId` appended. With `workers > 0` the documents go in batches to worker threads, each
 * rebuilding the tokenizer from its `toJSON()` form, and come back in order; at most two batches
 * per worker are in flight, so memory stays bounded on any corpus size. A document the tokenizer
 * rejects throws a {@link DocumentTokenizeError} naming it, or with `onInvalid: 'skip'` is counted
 * in the summary: nothing is dropped silently.
 * @param docs - the documents, e.g. lines of a file or the cleaning stage's output
 * @param tokenizer - a `CharTokenizer`, a `Tokenizer`, or anything with `encode`
 * @throws RangeArgumentError on bad options, DocumentTokenizeError on a rejected document or a
 *   failed worker, the tokenizer loaders' ConfigError when its saved form cannot be rebuilt
 * @example
 * ```ts
 * declare const lines: string[], tokenizer: Tokenizer;
 * let total = 0;
 * for await (const ids of tokenizeDocuments(lines, tokenizer, { eosId: 0, workers: 2 })) total += ids.length;
 * ```
 */
export async function* tokenizeDocuments(docs: AsyncIterable<string> | Iterable<string>, tokenizer: DocumentTokenizer,
  options: TokenizeDocumentsOptions = {}): AsyncGenerator<Int32Array> {
  const { workers = 0, batchDocuments = 256, onInvalid = 'throw', eosId } = options;
  assert(Number.isInteger(workers) && workers >= 0, RangeArgumentError, () => `workers (${workers}) must be a non-negative integer`);
  assert(Number.isInteger(batchDocuments) && batchDocuments > 0, RangeArgumentError, () => `batchDocuments (${batchDocuments}) must be a positive integer`);
  assert(onInvalid === 'throw' || onInvalid === 'skip', RangeArgumentError, () => `onInvalid (${String(onInvalid)}) must be 'throw' or 'skip'`);
  assert(eosId === undefined || Number.isInteger(eosId), RangeArgumentError, () => `eosId (${eosId}) must be an integer`);
  const tally = new Tally(onInvalid);
  yield* (workers > 0 ? tokenizeInWorkers : tokenizeHere)(docs, tokenizer, options, tally);
  options.onSummary?.(tally.summary());
}
