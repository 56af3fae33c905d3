import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../utils/errors.js';
import { BPE } from './bpe.js';
import { bertTokenizer } from './bert-tokenizer.js';
import { byteLevelDecoder, byteLevelPreTokenizer, byteLevelProcessor } from './byte-level.js';
import { readSentencePieceModel } from './sentencepiece-model.js';
import { sentencePieceTokenizer } from './sentencepiece-tokenizer.js';
import { applySpecialTokensMap, readSpecialTokensMap } from './special-tokens-map.js';
import { Tokenizer } from './tokenizer.js';
import { readMerges, tokenizerFromJSON } from './tokenizer-from-json.js';

/** GPT-2's end-of-text token, made a special added token when the vocabulary has it. */
const END_OF_TEXT = '<|endoftext|>';

function parseJSON(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * A GPT-2-style byte-level BPE tokenizer from the contents of `vocab.json` and `merges.txt`
 * (byte-level pre-tokenizer without prefix space, byte-level post-processor and decoder,
 * `<|endoftext|>` a special token when present), as Hugging Face's GPT-2 conversion builds it.
 * @param vocabJSON - text of `vocab.json` (token to id)
 * @param mergesText - text of `merges.txt` (optional `#version` line, then `a b` per line)
 * @param sources - file names for error messages
 * @throws ConfigError naming the file and the entry when either is malformed
 * @example
 * ```ts
 * declare const vocabText: string, mergesText: string; // GPT-2's vocab.json and merges.txt
 * const tokenizer = gpt2Tokenizer(vocabText, mergesText);
 * tokenizer.encode('Hello world').ids; // [15496, 995]
 * ```
 */
export function gpt2Tokenizer(vocabJSON: string, mergesText: string, sources = { vocab: 'vocab.json', merges: 'merges.txt' }): Tokenizer {
  const parsed = parseJSON(vocabJSON, sources.vocab);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${sources.vocab}: must be an object of token to id`);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(parsed)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new ConfigError(`${sources.vocab}: id of ${JSON.stringify(token)} must be a non-negative integer, got ${JSON.stringify(id)}`);
    vocab.set(token, id);
  }
  const lines = mergesText.split(/\r?\n/);
  const offset = lines[0]?.startsWith('#version') ? 1 : 0;
  const entries = lines.slice(offset).filter((line) => line.length > 0);
  let merges: [string, string][];
  try {
    merges = readMerges(entries, sources.merges);
  } catch (error) {
    const index = /merges\[(\d+)\]/.exec((error as Error).message)?.[1];
    throw index === undefined ? error : new ConfigError(`${sources.merges}: line ${lines.indexOf(entries[Number(index)]!) + 1} must be two tokens separated by one space, got ${JSON.stringify(entries[Number(index)])}`);
  }
  let model: BPE;
  try {
    model = new BPE({ vocab, merges });
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError(`${sources.merges}: ${error.message}`) : error;
  }
  const eot = vocab.get(END_OF_TEXT);
  return new Tokenizer({
    model,
    preTokenizer: byteLevelPreTokenizer({ addPrefixSpace: false }),
    postProcessor: byteLevelProcessor({ trimOffsets: false }),
    decoder: byteLevelDecoder(),
    addedTokens: eot === undefined ? [] : [{ id: eot, content: END_OF_TEXT, special: true, normalized: false, lstrip: false, rstrip: false, singleWord: false }],
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** A BERT tokenizer from `vocabTxt` and the `tokenizer_config.json` beside it, if any. */
async function loadBertVocab(vocabTxt: string): Promise<Tokenizer> {
  const config = join(dirname(vocabTxt), 'tokenizer_config.json');
  const configJSON = (await exists(config)) ? await readFile(config, 'utf8') : null;
  return bertTokenizer(await readFile(vocabTxt, 'utf8'), configJSON, { vocab: vocabTxt, config });
}

/**
 * Loads a tokenizer from a Hugging Face `tokenizer.json`, or from a folder holding one, or holding
 * SentencePiece's `tokenizer.model` or `spiece.model`, GPT-2's `vocab.json` + `merges.txt`, or BERT's
 * `vocab.txt` (+ optional `tokenizer_config.json`). In a folder, the tokens of a
 * `special_tokens_map.json` beside them become special added tokens (see {@link applySpecialTokensMap}).
 * @param path - a `tokenizer.json` file, a SentencePiece `.model` file, a BERT `vocab.txt`, or a folder
 * @throws ConfigError naming the file and field when a file is missing, malformed or uses a
 *   component not implemented yet
 * @example
 * ```ts
 * const tokenizer = await loadTokenizer('checkpoints/roberta-base');
 * tokenizer.encode('Hello').tokens; // ['<s>', 'Hello', '</s>']
 * ```
 */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
  if (!(await isDirectory(path))) return loadTokenizerFile(path);
  const tokenizer = await loadTokenizerFolder(path);
  const map = join(path, 'special_tokens_map.json');
  if (!(await exists(map))) return tokenizer;
  return applySpecialTokensMap(tokenizer, readSpecialTokensMap(await readFile(map, 'utf8'), map));
}

async function loadTokenizerFile(path: string): Promise<Tokenizer> {
  if (path.endsWith('.model')) return sentencePieceTokenizer(readSentencePieceModel(await readFile(path), path), path);
  if (path.endsWith('.txt')) return loadBertVocab(path);
  return tokenizerFromJSON(parseJSON(await readFile(path, 'utf8'), path), path);
}

/** The files {@link loadTokenizer} looks for in a folder (vocab.json goes with merges.txt). */
const FOLDER_FILES = ['tokenizer.json', 'tokenizer.model', 'spiece.model', 'vocab.json', 'vocab.txt'] as const;

/**
 * Whether a folder holds any of the tokenizer files {@link loadTokenizer} reads, e.g. to load a
 * model folder's tokenizer only when it has one.
 * @param dir - a folder
 * @example
 * ```ts
 * const tokenizer = (await hasTokenizerFiles('checkpoints/gpt2')) ? await loadTokenizer('checkpoints/gpt2') : undefined;
 * ```
 */
export async function hasTokenizerFiles(dir: string): Promise<boolean> {
  return (await Promise.all(FOLDER_FILES.map((name) => exists(join(dir, name))))).some(Boolean);
}

async function loadTokenizerFolder(path: string): Promise<Tokenizer> {
  const json = join(path, 'tokenizer.json');
  if (await exists(json)) return loadTokenizerFile(json);
  for (const name of ['tokenizer.model', 'spiece.model']) if (await exists(join(path, name))) return loadTokenizerFile(join(path, name));
  const vocab = join(path, 'vocab.json');
  const merges = join(path, 'merges.txt');
  if ((await exists(vocab)) && (await exists(merges))) {
    return gpt2Tokenizer(await readFile(vocab, 'utf8'), await readFile(merges, 'utf8'), { vocab, merges });
  }
  const vocabTxt = join(path, 'vocab.txt');
  if (await exists(vocabTxt)) return loadBertVocab(vocabTxt);
  throw new ConfigError(`${path}: holds neither tokenizer.json, tokenizer.model/spiece.model, vocab.json + merges.txt, nor vocab.txt`);
}
