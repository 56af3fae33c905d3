/** All documents of a stream, in order (test helper). */
export async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of stream) out.push(doc);
  return out;
}
