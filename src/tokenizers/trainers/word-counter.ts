import { createReadStream } from 'node:fs';
import { GPT2_SPLIT_PATTERN } from '../byte-level.js';
import type { Normalizer, PreTokenizer } from '../components.js';
import { NormalizedString } from '../normalized-string.js';

/**
 * Text to train on: one string (read line by line, as Hugging Face reads a file), strings or an
 * async iterable of strings (each one sequence, as Hugging Face's `train_from_iterator`), or
 * files (`{ files }`, streamed line by line). Each line keeps its line end, as in Hugging Face.
 * @example
 * ```ts
 * const input: TrainingInput = { files: ['corpus/a.txt', 'corpus/b.txt'] };
 * ```
 */
export type TrainingInput = string | Iterable<string> | AsyncIterable<string> | {
  /** Text files read in 1 MB chunks, never whole. */
  readonly files: readonly string[];
};

/** Lines of a stream of text chunks, each keeping its line end (as Hugging Face reads files). */
async function* linesOf(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield text.slice(start, end + 1);
      start = end + 1;
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) yield carry;
}

/**
 * The sequences of a {@link TrainingInput}, streamed: files are read in chunks and never held
 * whole in memory.
 * @example
 * ```ts
 * const lines: string[] = [];
 * for await (const line of trainingSequences('a\nb')) lines.push(line); // 'a\n', 'b'
 * ```
 */
export async function* trainingSequences(input: TrainingInput): AsyncGenerator<string> {
  if (typeof input === 'string') yield* linesOf([input]);
  else if ('files' in input) {
    for (const file of input.files) yield* linesOf(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>);
  } else yield* input;
}

/**
 * Counts the words of training text, one sequence at a time: each sequence is normalized and
 * pre-tokenized as the trained tokenizer will do it, and only the word counts are kept (the step
 * before learning BPE merges; Sennrich et al. 2016, https://arxiv.org/abs/1508.07909). With a
 * byte-level pre-tokenizer, the regex pieces are counted and each distinct one is mapped once.
 * @example
 * ```ts
 * const counter = new WordCounter(null, whitespaceSplit());
 * counter.add('low lower low');
 * counter.counts.get('low'); // 2
 * ```
 */
export class WordCounter {
  /** Raw piece to occurrences, when the pre-tokenizer is byte-level: pieces are mapped once each, at the end. */
  private readonly pieces: Map<string, number> | null;
  private readonly words = new Map<string, number>();
  /** Number of sequences added. */
  sequences = 0;

  /**
   * @param normalizer - applied to each sequence first, or null
   * @param preTokenizer - splits sequences into words, or null (a sequence is one word)
   */
  constructor(private readonly normalizer: Normalizer | null, private readonly preTokenizer: PreTokenizer | null) {
    const json = preTokenizer?.toJSON();
    this.pieces = json?.type === 'ByteLevel' && json['use_regex'] !== false && json['add_prefix_space'] !== true ? new Map() : null;
  }

  /** Counts the words of one sequence. */
  add(sequence: string): void {
    this.sequences++;
    let text = NormalizedString.from(sequence);
    if (this.normalizer !== null) text = this.normalizer.normalize(text);
    if (this.pieces !== null) {
      for (const [piece] of text.text.matchAll(GPT2_SPLIT_PATTERN)) this.pieces.set(piece, (this.pieces.get(piece) ?? 0) + 1);
      return;
    }
    this.addWords(text, 1);
  }

  /** Word (as the pre-tokenizer outputs it) to occurrences. */
  get counts(): Map<string, number> {
    if (this.pieces !== null) {
      for (const [piece, count] of this.pieces) this.addWords(NormalizedString.from(piece), count);
      this.pieces.clear();
    }
    return this.words;
  }

  private addWords(text: NormalizedString, count: number): void {
    for (const word of this.preTokenizer === null ? [text] : this.preTokenizer.split(text)) {
      if (word.text.length > 0) this.words.set(word.text, (this.words.get(word.text) ?? 0) + count);
    }
  }
}
