/**
 * What a tokenize worker is started with.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const data: TokenizeWorkerData = { tokenizerJSON: JSON.stringify(tokenizer.toJSON()) };
 * ```
 */
export interface TokenizeWorkerData {
  /** The tokenizer's saved form as a JSON string. */
  readonly tokenizerJSON: string;
  /** Passed to `encode`; undefined keeps the tokenizer's default. */
  readonly addSpecialTokens?: boolean;
}

/**
 * A batch of documents sent to a tokenize worker.
 * @example
 * ```ts
 * const request: TokenizeRequest = { id: 0, texts: ['first document', 'second'] };
 * ```
 */
export interface TokenizeRequest {
  /** Sequence number of the batch. */
  readonly id: number;
  /** The documents (a non-string is reported back as an error). */
  readonly texts: readonly unknown[];
}

/**
 * A worker's answer to a {@link TokenizeRequest}, one entry per document.
 * @example
 * ```ts
 * const reply: TokenizeReply = { id: 0, ids: [Int32Array.of(5, 6)], errors: [null] };
 * ```
 */
export interface TokenizeReply {
  /** The request's sequence number. */
  readonly id: number;
  /** Token ids per document (empty where the document failed). */
  readonly ids: Int32Array[];
  /** Null, or `Name: message` of the error the document raised. */
  readonly errors: (string | null)[];
}
