// Worker-thread entry of tokenizeDocuments: rebuilds the tokenizer from its saved form, then answers
// each { id, texts } message with the texts' token ids (transferred, not copied) in the same order.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeDocument, tokenizerFromSaved } from './document-tokenizer.js';
import type { TokenizeReply, TokenizeRequest, TokenizeWorkerData } from './tokenize-protocol.js';

const data = workerData as TokenizeWorkerData;
const tokenizer = tokenizerFromSaved(JSON.parse(data.tokenizerJSON));

parentPort?.on('message', (request: TokenizeRequest) => {
  const reply: TokenizeReply = { id: request.id, ids: [], errors: [] };
  for (const text of request.texts) {
    try {
      if (typeof text !== 'string') throw new TypeError(`not a string (${typeof text})`);
      reply.ids.push(encodeDocument(tokenizer, text, data.addSpecialTokens));
      reply.errors.push(null);
    } catch (error) {
      reply.ids.push(new Int32Array(0));
      reply.errors.push(error instanceof TypeError ? (error as Error).message : `${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  parentPort!.postMessage(reply, reply.ids.map((ids) => ids.buffer as ArrayBuffer));
});
