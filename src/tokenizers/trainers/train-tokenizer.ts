import { ConfigError } from '../../utils/errors.js';
import { BPE } from '../bpe.js';
import { BYTE_TO_CHAR, byteLevelDecoder, byteLevelPreTokenizer, byteLevelProcessor } from '../byte-level.js';
import type { Normalizer, PreTokenizer } from '../components.js';
import { bpeDecoder } from '../decoders.js';
import { whitespace } from '../pre-tokenizers.js';
import { Tokenizer } from '../tokenizer.js';
import { learnBpe, validateBpeTrainerOptions, type BpeTrainerOptions } from './bpe-trainer.js';
import { trainingSequences, WordCounter, type TrainingInput } from './word-counter.js';

/**
 * What {@link trainTokenizer} builds, and how: BPE settings plus the pipeline around the model.
 * @example
 * ```ts
 * const o: TrainTokenizerOptions = { model: 'char-level', vocabSize: 2000, endOfWordSuffix: '</w>' };
 * ```
 */
export interface TrainTokenizerOptions extends BpeTrainerOptions {
  /**
   * `'byte-level'` (default): GPT-2 style, the ByteLevel pre-tokenizer, decoder and post-processor,
   * and the 256 byte characters as initial alphabet (so any text encodes). `'char-level'`: BPE over
   * the characters of the words of `preTokenizer`, with optional subword prefix / word suffix.
   */
  readonly model?: 'byte-level' | 'char-level';
  /** Normalizer of the tokenizer, applied before pre-tokenization (default none). */
  readonly normalizer?: Normalizer | null;
  /** Pre-tokenizer of a char-level tokenizer (default {@link whitespace}); byte-level always uses ByteLevel. */
  readonly preTokenizer?: PreTokenizer | null;
}

/**
 * Trains a BPE tokenizer (Sennrich et al. 2016, https://arxiv.org/abs/1508.07909) on text, as
 * Hugging Face's `BpeTrainer` does: same vocabulary, same merges in the same order. Word counts are
 * accumulated while the input streams, so the corpus is never held whole in memory. Special tokens
 * come first in the vocabulary and become special added tokens; the result saves as a
 * `tokenizer.json` that Hugging Face tokenizers loads and encodes identically.
 * @param options - BPE settings and pipeline (default: byte-level, 30,000 entries)
 * @param input - a string (read line by line), strings, an async iterable of strings, or `{ files }`
 * @throws ConfigError when an option is invalid, naming the value
 * @example
 * ```ts
 * const tokenizer = await trainTokenizer({ vocabSize: 5000, minFrequency: 2, specialTokens: ['<|endoftext|>'] }, { files: ['corpus.txt'] });
 * await tokenizer.save('out/tokenizer.json');
 * ```
 */
export async function trainTokenizer(options: TrainTokenizerOptions, input: TrainingInput): Promise<Tokenizer> {
  validateBpeTrainerOptions(options);
  const model = options.model ?? 'byte-level';
  if (model !== 'byte-level' && model !== 'char-level') throw new ConfigError(`trainTokenizer model must be 'byte-level' or 'char-level', got ${JSON.stringify(model)}`);
  const byteLevel = model === 'byte-level';
  if (byteLevel && (options.preTokenizer || options.continuingSubwordPrefix || options.endOfWordSuffix)) {
    throw new ConfigError('trainTokenizer: a byte-level model takes no preTokenizer, continuingSubwordPrefix or endOfWordSuffix; use model: \'char-level\'');
  }
  const normalizer = options.normalizer ?? null;
  const preTokenizer = byteLevel ? byteLevelPreTokenizer() : options.preTokenizer === undefined ? whitespace() : options.preTokenizer;
  const counter = new WordCounter(normalizer, preTokenizer);
  const progress = options.onProgress ?? null;
  for await (const sequence of trainingSequences(input)) {
    counter.add(sequence);
    if (progress !== null && counter.sequences % 10_000 === 0) progress({ stage: 'words', done: counter.sequences, total: null });
  }
  progress?.({ stage: 'words', done: counter.sequences, total: null });
  const { vocab, merges } = learnBpe(counter.counts, { ...options, initialAlphabet: options.initialAlphabet ?? (byteLevel ? BYTE_TO_CHAR : []) });
  const suffix = options.endOfWordSuffix ?? null;
  return new Tokenizer({
    model: new BPE({ vocab, merges, continuingSubwordPrefix: options.continuingSubwordPrefix ?? null, endOfWordSuffix: suffix }),
    normalizer,
    preTokenizer,
    postProcessor: byteLevel ? byteLevelProcessor() : null,
    decoder: byteLevel ? byteLevelDecoder() : suffix !== null ? bpeDecoder(suffix) : null,
    addedTokens: (options.specialTokens ?? []).map((content) => ({
      id: vocab.get(content)!, content, special: true, normalized: false, lstrip: false, rstrip: false, singleWord: false,
    })),
  });
}
