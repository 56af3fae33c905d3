import { assert } from '../../utils/assert.js';
import { DataError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { createDocumentStream, type DocumentInput, type DocumentStream } from './document-stream.js';
import { countSkip, createSourceReport, type SourceReport } from './source-report.js';

/**
 * Wraps any iterable or async iterable of strings (an array, a generator, another stage's output)
 * as a {@link DocumentStream}. Whitespace-only documents are skipped and counted as
 * `empty-document`; a non-string item raises a {@link DataError} naming its index.
 * @param documents - the documents
 * @example
 * ```ts
 * declare function pagesFromApi(): AsyncGenerator<string>;
 * const docs = fromAsyncIterable(pagesFromApi());
 * ```
 */
export function fromAsyncIterable(documents: DocumentInput): DocumentStream<SourceReport> {
  return createDocumentStream(createSourceReport, async function* (report) {
    let index = 0;
    for await (const doc of documents as AsyncIterable<unknown>) {
      assert(typeof doc === 'string', DataError, () => `document ${index} is not a string: ${describeJSON(doc)}`);
      index++;
      if (doc.trim() === '') { countSkip(report, 'empty-document'); continue; }
      report.documents++;
      yield doc;
    }
  });
}

/**
 * Wraps an array of strings as a {@link DocumentStream} (re-iterable), like {@link fromAsyncIterable}.
 * @param documents - the documents
 * @example
 * ```ts
 * const docs = fromArray(['first document', 'second document']);
 * ```
 */
export function fromArray(documents: readonly string[]): DocumentStream<SourceReport> {
  assert(Array.isArray(documents), DataError, () => `fromArray expects an array, got ${describeJSON(documents)}`);
  return fromAsyncIterable(documents);
}
