import { ConfigError } from '../../utils/errors.js';
import { bertPreTokenizer } from '../bert-pre-tokenizer.js';
import { BPE } from '../bpe.js';
import { BYTE_TO_CHAR, byteLevelDecoder, byteLevelPreTokenizer, byteLevelProcessor } from '../byte-level.js';
import type { Decoder, Model, Normalizer, PostProcessor, PreTokenizer } from '../components.js';
import { bpeDecoder } from '../decoders.js';
import { metaspaceDecoder, metaspacePreTokenizer } from '../metaspace.js';
import { whitespace } from '../pre-tokenizers.js';
import { Tokenizer } from '../tokenizer.js';
import { Unigram } from '../unigram.js';
import { wordPieceDecoder } from '../word-piece-decoder.js';
import { WordPiece } from '../word-piece.js';
import { learnBpe, validateBpeTrainerOptions, type BpeTrainerOptions } from './bpe-trainer.js';
import { learnUnigram, validateUnigramTrainerOptions, type UnigramTrainerOptions } from './unigram-trainer.js';
import { trainingSequences, WordCounter, type TrainingInput } from './word-counter.js';

/**
 * What {@link trainTokenizer} builds, and how: BPE settings plus the pipeline around the model.
 * @example
 * ```ts
 * const o: TrainTokenizerOptions = { model: 'char-level', vocabSize: 2000, endOfWordSuffix: '</w>' };
 * ```
 */
export interface TrainTokenizerOptions extends BpeTrainerOptions, UnigramTrainerOptions {
  /**
   * `'byte-level'` (default): GPT-2 style BPE, the ByteLevel pre-tokenizer, decoder and
   * post-processor, and the 256 byte characters as initial alphabet (so any text encodes).
   * `'char-level'`: BPE over the characters of the words of `preTokenizer`, with optional subword
   * prefix / word suffix. `'wordpiece'`: Hugging Face's `WordPieceTrainer` (BPE with the `##`
   * prefix, the vocabulary then used by a {@link WordPiece} model; BERT pre-tokenizer by default).
   * `'unigram'`: Hugging Face's `UnigramTrainer` ({@link learnUnigram}; Metaspace pre-tokenizer and
   * decoder by default; `vocabSize` defaults to 8,000 and counts no special token).
   */
  readonly model?: 'byte-level' | 'char-level' | 'wordpiece' | 'unigram';
  /** Normalizer of the tokenizer, applied before pre-tokenization (default none). */
  readonly normalizer?: Normalizer | null;
  /**
   * Pre-tokenizer (default {@link whitespace} for char-level, {@link bertPreTokenizer} for wordpiece,
   * {@link metaspacePreTokenizer} for unigram); byte-level always uses ByteLevel.
   */
  readonly preTokenizer?: PreTokenizer | null;
  /** Unknown token: of a wordpiece model (default `'[UNK]'`), or of a unigram model (default none, see {@link UnigramTrainerOptions.unkToken}). */
  readonly unkToken?: string | null;
}

type ModelKind = NonNullable<TrainTokenizerOptions['model']>;
const MODELS: readonly ModelKind[] = ['byte-level', 'char-level', 'wordpiece', 'unigram'];
/** Options that only BPE-based training reads, rejected for unigram. */
const BPE_ONLY = ['minFrequency', 'limitAlphabet', 'continuingSubwordPrefix', 'endOfWordSuffix', 'maxTokenLength'] as const;
/** Options that only unigram training reads, rejected for the others. */
const UNIGRAM_ONLY = ['shrinkingFactor', 'nSubIterations', 'maxPieceLength', 'seedSize'] as const;

function checkModelOptions(model: ModelKind, options: TrainTokenizerOptions): void {
  if (!MODELS.includes(model)) throw new ConfigError(`trainTokenizer model must be one of ${MODELS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(model)}`);
  const misplaced = (model === 'unigram' ? BPE_ONLY : UNIGRAM_ONLY).filter((key) => options[key] !== undefined && options[key] !== null);
  if (misplaced.length > 0) throw new ConfigError(`trainTokenizer: a ${model} model takes no ${misplaced.join(', ')}`);
  if (model === 'byte-level' && (options.preTokenizer || options.continuingSubwordPrefix || options.endOfWordSuffix)) {
    throw new ConfigError('trainTokenizer: a byte-level model takes no preTokenizer, continuingSubwordPrefix or endOfWordSuffix; use model: \'char-level\'');
  }
  if (model === 'wordpiece' && options.endOfWordSuffix) throw new ConfigError(`trainTokenizer: a wordpiece model has no endOfWordSuffix, got ${JSON.stringify(options.endOfWordSuffix)}`);
  if ((model === 'byte-level' || model === 'char-level') && options.unkToken != null) throw new ConfigError(`trainTokenizer: a ${model} model takes no unkToken`);
  if (model === 'unigram') validateUnigramTrainerOptions(options);
  else validateBpeTrainerOptions(options);
}

function defaultPreTokenizer(model: ModelKind): PreTokenizer {
  if (model === 'byte-level') return byteLevelPreTokenizer();
  if (model === 'wordpiece') return bertPreTokenizer();
  return model === 'unigram' ? metaspacePreTokenizer() : whitespace();
}

/** The trained model and the parts of the pipeline that depend on it. */
function trainModel(model: ModelKind, counts: ReadonlyMap<string, number>, options: TrainTokenizerOptions): { model: Model; decoder: Decoder | null; postProcessor: PostProcessor | null } {
  if (model === 'unigram') {
    const { vocab, unkId } = learnUnigram(counts, options);
    return { model: new Unigram({ vocab, unkId }), decoder: metaspaceDecoder(), postProcessor: null };
  }
  const byteLevel = model === 'byte-level';
  const prefix = options.continuingSubwordPrefix ?? (model === 'wordpiece' ? '##' : null);
  const { vocab, merges } = learnBpe(counts, { ...options, continuingSubwordPrefix: prefix, initialAlphabet: options.initialAlphabet ?? (byteLevel ? BYTE_TO_CHAR : []) });
  if (model === 'wordpiece') {
    return { model: new WordPiece({ vocab, unkToken: options.unkToken ?? '[UNK]', continuingSubwordPrefix: prefix! }), decoder: wordPieceDecoder(prefix!), postProcessor: null };
  }
  const suffix = options.endOfWordSuffix ?? null;
  return {
    model: new BPE({ vocab, merges, continuingSubwordPrefix: prefix, endOfWordSuffix: suffix }),
    decoder: byteLevel ? byteLevelDecoder() : suffix !== null ? bpeDecoder(suffix) : null,
    postProcessor: byteLevel ? byteLevelProcessor() : null,
  };
}

/**
 * Trains a tokenizer on text as Hugging Face's trainers do: BPE (`BpeTrainer`, Sennrich et al.
 * 2016, https://arxiv.org/abs/1508.07909; same vocabulary, same merges in the same order),
 * WordPiece (`WordPieceTrainer`: the same BPE with the `##` prefix, identical vocabulary) or
 * Unigram (`UnigramTrainer`, Kudo 2018, https://arxiv.org/abs/1804.10959). Word counts are
 * accumulated while the input streams, so the corpus is never held whole in memory. Special tokens
 * come first in the vocabulary and become special added tokens; the result saves as a
 * `tokenizer.json` that Hugging Face tokenizers loads and encodes identically.
 * @param options - model, trainer settings and pipeline (default: byte-level BPE, 30,000 entries)
 * @param input - a string (read line by line), strings, an async iterable of strings, or `{ files }`
 * @throws ConfigError when an option is invalid or does not apply to the model, naming the value
 * @example
 * ```ts
 * const tokenizer = await trainTokenizer({ vocabSize: 5000, minFrequency: 2, specialTokens: ['<|endoftext|>'] }, { files: ['corpus.txt'] });
 * await tokenizer.save('out/tokenizer.json');
 * const bert = await trainTokenizer({ model: 'wordpiece', normalizer: bertNormalizer(), specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] }, { files: ['corpus.txt'] });
 * const spm = await trainTokenizer({ model: 'unigram', vocabSize: 8000, unkToken: '<unk>', specialTokens: ['<unk>', '<s>', '</s>'] }, { files: ['corpus.txt'] });
 * ```
 */
export async function trainTokenizer(options: TrainTokenizerOptions, input: TrainingInput): Promise<Tokenizer> {
  const kind = options.model ?? 'byte-level';
  checkModelOptions(kind, options);
  const normalizer = options.normalizer ?? null;
  const preTokenizer = kind === 'byte-level' || options.preTokenizer === undefined ? defaultPreTokenizer(kind) : options.preTokenizer;
  const counter = new WordCounter(normalizer, preTokenizer);
  const progress = options.onProgress ?? null;
  for await (const sequence of trainingSequences(input)) {
    counter.add(sequence);
    if (progress !== null && counter.sequences % 10_000 === 0) progress({ stage: 'words', done: counter.sequences, total: null });
  }
  progress?.({ stage: 'words', done: counter.sequences, total: null });
  const { model, decoder, postProcessor } = trainModel(kind, counter.counts, options);
  return new Tokenizer({
    model,
    normalizer,
    preTokenizer,
    postProcessor,
    decoder,
    addedTokens: (options.specialTokens ?? []).map((content) => ({
      id: model.tokenToId(content)!, content, special: true, normalized: false, lstrip: false, rstrip: false, singleWord: false,
    })),
  });
}
