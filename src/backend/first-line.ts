/**
 * The first line of an error's message (of `String(error)` for non-errors): what a backend
 * reports as the reason it was skipped or fell back, without the stack-like detail that follows.
 *
 * @param error - anything caught
 * @returns the message's first line
 * @example
 * ```ts
 * firstLine(new Error('cannot load x\n    at ...')); // 'cannot load x'
 * ```
 */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
