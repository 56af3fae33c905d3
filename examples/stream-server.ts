// Serves a GPT over HTTP, streaming the generated text as Server-Sent Events (no dependencies:
// node:http only). Each text delta is one `data:` event holding JSON (`{"text":"..."}`, so deltas
// with newlines survive); a final `event: done` carries the token count. Closing the connection
// aborts generation through an AbortSignal. Bad parameters get HTTP 400 with the typed error.
//
//   npx tsx examples/stream-server.ts                        # trains a tiny char GPT on Song poems first
//   npx tsx examples/stream-server.ts --model runs/poem-model --port 8080
//   curl -N 'http://localhost:8080/generate?prompt=春&maxNewTokens=60&temperature=0.8&seed=1'
//   curl 'http://localhost:8080/stats'                       # tensors alive, last generation
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, CharTokenizer, ConfigError, GPTCausalLM, RangeArgumentError, Rng, WordforgeError, fromPretrained, initBackend,
  sampleWindows, streamText, trainLoop, type GenerationOptions, type Tokenizer,
} from 'wordforge';
import { loadPoemCorpus } from './poem-corpus.js';

/** Text to ids and back, whichever tokenizer a model folder holds. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

/** A `/generate` request's prompt and generation options, as parsed from the query string. */
export interface GenerateRequest {
  readonly prompt: string;
  readonly options: GenerationOptions;
}

/** What `/stats` reports about the last generation. */
export interface GenerationRecord {
  readonly tokens: number;
  readonly aborted: boolean;
}

const QUERY_PARAMETERS = ['prompt', 'maxNewTokens', 'temperature', 'topK', 'seed'];

/** Wraps a CharTokenizer (encode gives ids) or a Hugging Face tokenizer (encode gives an Encoding) as a {@link TextCodec}. */
export function codecOf(tokenizer: Tokenizer | CharTokenizer): TextCodec {
  return {
    encode: (text) => {
      const encoded = tokenizer.encode(text);
      return Array.isArray(encoded) ? encoded : [...encoded.ids];
    },
    decode: (ids) => tokenizer.decode(ids),
  };
}

/**
 * Reads `prompt`, `maxNewTokens` (default 100, at most `maxNewTokensLimit`), `temperature` (samples
 * when > 0, greedy when absent or 0), `topK` and `seed`. Throws typed errors naming the bad value.
 */
export function parseGenerateQuery(params: URLSearchParams, maxNewTokensLimit: number): GenerateRequest {
  for (const name of params.keys()) {
    if (!QUERY_PARAMETERS.includes(name)) throw new ConfigError(`unknown parameter "${name}" (accepted: ${QUERY_PARAMETERS.join(', ')})`);
  }
  const prompt = params.get('prompt') ?? '';
  if (prompt === '') throw new RangeArgumentError('prompt is required and must not be empty: /generate?prompt=...');
  const maxNewTokens = numberParameter(params, 'maxNewTokens') ?? 100;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1 || maxNewTokens > maxNewTokensLimit) {
    throw new RangeArgumentError(`maxNewTokens (${maxNewTokens}) must be an integer from 1 to ${maxNewTokensLimit}`);
  }
  const temperature = numberParameter(params, 'temperature');
  const sampling = temperature !== undefined && temperature !== 0;
  return {
    prompt,
    options: {
      maxNewTokens, seed: numberParameter(params, 'seed'),
      ...(sampling ? { doSample: true, temperature, topK: numberParameter(params, 'topK') } : {}),
    },
  };
}

function numberParameter(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new RangeArgumentError(`${name} ("${raw}") must be a number`);
  return value;
}

/**
 * An HTTP server with `GET /generate` (Server-Sent Events) and `GET /stats`. Generations run one
 * step at a time and wait for each event to be flushed, so a closed connection is noticed between
 * steps and aborts the generation (its tensors are freed).
 */
export function createGenerationServer(model: GPTCausalLM, codec: TextCodec, maxNewTokensLimit = 1000): Server {
  let active = 0;
  let last: GenerationRecord | null = null;

  async function generateEvents(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const controller = new AbortController();
    let steps;
    try {
      const { prompt, options } = parseGenerateQuery(url.searchParams, maxNewTokensLimit);
      steps = model.stream(codec.encode(prompt), { ...options, signal: controller.signal }); // validates the options now
    } catch (error) {
      if (!(error instanceof WordforgeError)) throw error;
      sendText(response, 400, `${error.name}: ${error.message}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.on('close', () => { if (!response.writableFinished) controller.abort(); });
    active++;
    let tokens = 0;
    const counted = (async function* () { for await (const step of steps) { tokens++; yield step; } })();
    try {
      for await (const [delta] of streamText(counted, codec.decode)) {
        await send(response, `data: ${JSON.stringify({ text: delta })}\n\n`);
        if (controller.signal.aborted) break;
      }
      if (!controller.signal.aborted) await send(response, `event: done\ndata: ${JSON.stringify({ tokens })}\n\n`);
    } catch (error) {
      if (!controller.signal.aborted) await send(response, `event: error\ndata: ${JSON.stringify({ message: String(error) })}\n\n`);
    } finally {
      active--;
      last = { tokens, aborted: controller.signal.aborted };
      response.end();
    }
  }

  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET') return sendText(response, 405, 'only GET is served\n');
    if (url.pathname === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ numTensors: tf.memory().numTensors, activeGenerations: active, lastGeneration: last }));
    }
    if (url.pathname !== '/generate') return sendText(response, 404, 'try GET /generate?prompt=...&maxNewTokens=..&temperature=..&seed=..\n');
    generateEvents(request, response, url).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, `${String(error)}\n`);
      else response.destroy();
    });
  });
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/**
 * Writes a chunk and waits until it is handed to the socket (or the socket is gone), then yields to
 * the event loop once: generation steps resolve as microtasks, so without this turn a closed
 * connection would only be noticed after the whole generation.
 */
function send(response: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) return resolve();
    const done = (): void => {
      response.off('close', done);
      setImmediate(resolve);
    };
    response.once('close', done); // a write to a dropped connection may never call back
    response.write(chunk, done);
  });
}

/** A tiny character GPT trained for a few steps on Song poems: enough to produce poem-shaped text. */
async function trainDefaultModel(data: string, steps: number): Promise<{ model: GPTCausalLM; codec: TextCodec }> {
  const { tokenizer, train } = loadPoemCorpus(data, { batchSize: 8, seqLength: 32, validationBatches: 0 });
  const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength: 64, hiddenSize: 64, numLayers: 2, numHeads: 4, seed: 0 });
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3 });
  const rng = new Rng(0);
  await trainLoop(model, {
    optimizer, steps, maxGradNorm: 1, logEvery: 50,
    nextBatch: () => sampleWindows(train, { batchSize: 8, seqLength: 32, rng }),
    onLog: ({ step, loss }) => console.log(`training step ${step} loss ${loss.toFixed(3)}`),
  });
  optimizer.dispose();
  return { model, codec: codecOf(tokenizer) };
}

/** Loads a GPT model folder and the tokenizer saved beside it (e.g. what `model.save` + `tokenizer.json` wrote). */
export async function loadGPTFolder(dir: string): Promise<{ model: GPTCausalLM; tokenizer: Tokenizer | CharTokenizer }> {
  const { model, tokenizer } = await fromPretrained(dir);
  if (!(model instanceof GPTCausalLM) || tokenizer === undefined) {
    model.dispose();
    throw new ConfigError(`${dir}: needs a GPT model folder with a tokenizer (got ${model.constructor.name}${tokenizer ? '' : ', no tokenizer'})`);
  }
  return { model, tokenizer };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values: args } = parseArgs({
    options: {
      model: { type: 'string' },
      data: { type: 'string', default: new URL('../../shared/data/song100.txt', import.meta.url).pathname },
      'train-steps': { type: 'string', default: '200' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-new-tokens-limit': { type: 'string', default: '1000' },
    },
  });
  console.log(`backend: ${(await initBackend()).name}`);
  const { model, codec } = args.model !== undefined
    ? await loadGPTFolder(args.model).then(({ model, tokenizer }) => ({ model, codec: codecOf(tokenizer) }))
    : await trainDefaultModel(args.data, Number(args['train-steps']));
  const server = createGenerationServer(model, codec, Number(args['max-new-tokens-limit']));
  server.listen(Number(args.port), args.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : args.port;
    console.log(`listening on http://${args.host}:${port}/generate?prompt=...`);
  });
  const shutdown = (): void => { server.close(() => { model.dispose(); process.exit(0); }); server.closeAllConnections(); };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
