import { WordforgeError } from '../../utils/errors.js';

/**
 * A token cache file is missing, truncated or corrupted; the message names the file and what is
 * wrong.
 * @example
 * ```ts
 * declare function rebuildTokenCache(): Promise<void>;
 * try { await readTokenCache('train.tokens'); } catch (e) { if (e instanceof TokenCacheError) await rebuildTokenCache(); else throw e; }
 * ```
 */
export class TokenCacheError extends WordforgeError {}

/**
 * A document could not be tokenised (e.g. a character outside a character vocabulary); the message
 * names the document's index in the stream and the tokenizer's error.
 * @example
 * ```ts
 * declare const docs: string[], tokenizer: Tokenizer;
 * const documents: Int32Array[] = [];
 * let failure = '';
 * try { for await (const ids of tokenizeDocuments(docs, tokenizer)) documents.push(ids); }
 * catch (e) { if (e instanceof DocumentTokenizeError) failure = e.message; else throw e; }
 * ```
 */
export class DocumentTokenizeError extends WordforgeError {}
