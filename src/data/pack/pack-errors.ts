import { WordforgeError } from '../../utils/errors.js';

/**
 * A token cache file is missing, truncated or corrupted; the message names the file and what is
 * wrong.
 * @example
 * ```ts
 * try { await readTokenCache('train.tokens'); } catch (e) { if (e instanceof TokenCacheError) rebuild(); else throw e; }
 * ```
 */
export class TokenCacheError extends WordforgeError {}

/**
 * A document could not be tokenised (e.g. a character outside a character vocabulary); the message
 * names the document's index in the stream and the tokenizer's error.
 * @example
 * ```ts
 * try { for await (const ids of tokenizeDocuments(docs, tokenizer)) use(ids); }
 * catch (e) { if (e instanceof DocumentTokenizeError) report(e.message); else throw e; }
 * ```
 */
export class DocumentTokenizeError extends WordforgeError {}
