/**
 * What every stage of the document pipeline accepts: any synchronous or asynchronous iterable of
 * documents. A document is a plain string (no id or provenance object), so sources, cleaning,
 * deduplication, splitting and the tokenise-and-pack stage compose without adapters.
 * @example
 * ```ts
 * const docs: DocumentInput = ['first document', 'second document'];
 * ```
 */
export type DocumentInput = Iterable<string> | AsyncIterable<string>;

/**
 * A stream of documents (plain strings) that carries a report of what its stage did: documents
 * read, changed, skipped or removed, with counts per reason. Each iteration starts the report
 * afresh; it is complete once that iteration has ended. Sources, {@link cleanDocuments}, the
 * deduplicators and {@link takeSplit} all return one, and all accept one as their input.
 * @example
 * ```ts
 * const kept: string[] = [];
 * const poems = readTextFiles('data/tang300.txt', { split: { separatorLine: '%' } });
 * for await (const poem of poems) kept.push(poem);
 * poems.report.documents; // poems read
 * ```
 */
export interface DocumentStream<Report> extends AsyncIterable<string> {
  /** The counters of the latest (or current) iteration. */
  readonly report: Readonly<Report>;
}

/**
 * Builds a {@link DocumentStream}: each iteration creates a new report and runs `generate` with it.
 * @param createReport - makes an empty report
 * @param generate - yields the documents, updating the report it is given
 * @example
 * ```ts
 * const stream = createDocumentStream(() => ({ documents: 0 }), async function* (report) {
 *   for (const doc of ['a', 'b']) { report.documents++; yield doc; }
 * });
 * ```
 */
export function createDocumentStream<Report>(
  createReport: () => Report,
  generate: (report: Report) => AsyncIterable<string>,
): DocumentStream<Report> {
  let report = createReport();
  return {
    get report(): Readonly<Report> { return report; },
    [Symbol.asyncIterator](): AsyncIterator<string> {
      report = createReport();
      return generate(report)[Symbol.asyncIterator]();
    },
  };
}
