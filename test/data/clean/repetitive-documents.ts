import { brownDocuments } from '../sources/brown-documents.js';

/**
 * Test corpus for the Gopher repetition measures: 8 Brown documents as they are, then 8 built
 * from their sentences with repeated lines, paragraphs and phrases.
 */
export function repetitionCorpus(): string[] {
  const brown = brownDocuments(8, 200);
  const crafted = brown.map((doc) => {
    const l = doc.split('\n');
    return [...l.slice(0, 6), '', ...l.slice(0, 3), '', ...l.slice(0, 6), '', `${l[7]} ${l[7]}`, ...l.slice(2, 5)].join('\n');
  });
  return [...brown, ...crafted];
}
