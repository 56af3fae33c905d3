import { ConfigError } from '../utils/errors.js';
import { BPE } from './bpe.js';
import { byteFallbackDecoder } from './byte-fallback-decoder.js';
import type { Decoder, Model, Normalizer } from './components.js';
import { fuseDecoder, sequenceDecoder } from './decoders.js';
import { sequenceNormalizer } from './normalizers.js';
import { precompiledNormalizer } from './precompiled.js';
import { prependNormalizer } from './prepend-normalizer.js';
import { escapeRegExp, replaceDecoder, replaceNormalizer } from './replace.js';
import type { SentencePieceModel } from './sentencepiece-model.js';
import { Tokenizer } from './tokenizer.js';
import { Unigram } from './unigram.js';

/** SentencePiece's whitespace meta symbol. */
const META = '▁';
/** What SentencePiece decodes the unknown piece to (`trainer_spec.unk_surface`'s default). */
const UNK_SURFACE = ' \u2047 ';
/**
 * Start and end of the whole text in a pattern that JavaScript and Hugging Face's Oniguruma read
 * alike (Oniguruma's `^` and `$` also match at line breaks), so a saved `tokenizer.json` works in both.
 */
const START = '(?<![\\s\\S])';
const END = '(?![\\s\\S])';

/**
 * SentencePiece's normalization: rules; leading spaces removed and runs of spaces collapsed; the
 * dummy prefix; `▁` for spaces; then trailing spaces removed, which after escaping includes `▁`
 * typed in the input (as SentencePiece's `Normalizer` does).
 */
function spmNormalizer(model: SentencePieceModel, source: string): Normalizer {
  const spec = model.normalizerSpec;
  const steps: Normalizer[] = [];
  const verbatim = model.pieces.filter((p) => p.type === 'USER_DEFINED').map((p) => p.piece);
  if (spec.precompiledCharsmap !== null) steps.push(precompiledNormalizer(spec.precompiledCharsmap, { mode: 'sentencepiece', verbatim, source: `${source}: normalizer_spec` }));
  if (spec.removeExtraWhitespaces) steps.push(replaceNormalizer({ regex: `${START} +| +(?= )` }, ''));
  if (spec.addDummyPrefix) steps.push(prependNormalizer(' '));
  if (spec.escapeWhitespaces) steps.push(replaceNormalizer({ string: ' ' }, META));
  if (spec.removeExtraWhitespaces) steps.push(replaceNormalizer({ regex: `${spec.escapeWhitespaces ? META : ' '}+${END}` }, ''));
  return sequenceNormalizer(steps);
}

/**
 * BPE merges from SentencePiece scores, as Hugging Face's `SentencePieceExtractor`: every split of
 * a normal piece into two normal pieces, ranked by the piece's score (then by the parts' ids).
 */
function spmMerges(model: SentencePieceModel): [string, string][] {
  const ids = new Map<string, number>();
  model.pieces.forEach((p, id) => p.type === 'NORMAL' && ids.set(p.piece, id));
  const merges: [number, number, number, string, string][] = [];
  for (const [piece, id] of ids) {
    for (let i = 1; i < piece.length; i++) {
      const [left, right] = [ids.get(piece.slice(0, i)), ids.get(piece.slice(i))];
      if (left !== undefined && right !== undefined) merges.push([id, left, right, piece.slice(0, i), piece.slice(i)]);
    }
  }
  merges.sort((a, b) => model.pieces[b[0]]!.score - model.pieces[a[0]]!.score || a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return merges.map((m) => [m[3], m[4]]);
}

function spmModel(model: SentencePieceModel, source: string): Model {
  const { modelType, byteFallback, unkId } = model.trainerSpec;
  const pieces = model.pieces;
  if (pieces[unkId]?.type !== 'UNKNOWN') throw new ConfigError(`${source}: trainer_spec.unk_id (${unkId}) is not an UNKNOWN piece`);
  if (modelType === 'UNIGRAM') {
    const ids = (...types: string[]): Set<number> => new Set(pieces.flatMap((p, id) => (types.includes(p.type) ? [id] : [])));
    const unmatchable = ids('UNKNOWN', 'CONTROL', 'UNUSED', 'BYTE');
    return new Unigram({ vocab: pieces.map((p) => [p.piece, p.score]), unkId, byteFallback, unmatchable, userDefined: ids('USER_DEFINED') });
  }
  if (modelType === 'BPE') {
    const vocab = new Map(pieces.map((p, id) => [p.piece, id]));
    return new BPE({ vocab, merges: spmMerges(model), unkToken: pieces[unkId]!.piece, fuseUnk: true, byteFallback });
  }
  throw new ConfigError(`${source}: trainer_spec.model_type ${modelType} is not supported yet (UNIGRAM and BPE are)`);
}

/**
 * Drops the dummy prefix as SentencePiece does: one leading `▁` of the first token; with
 * `removeExtra`, one of each token while everything before it decoded to nothing. Saved as Hugging
 * Face's closest form, which removes one `▁` from the start of the joined text (the same unless
 * the text starts with whitespace pieces).
 */
function dummyPrefixDecoder(removeExtra: boolean): Decoder {
  const saved = replaceDecoder({ regex: `${START}${META}` }, '');
  return {
    decodeChain(tokens: string[]): string[] {
      let atStart = true;
      return tokens.map((token) => {
        const consumed = atStart && token.startsWith(META);
        const text = consumed ? token.slice(META.length) : token;
        if (text.length > 0 || (consumed && !removeExtra)) atStart = false;
        return text;
      });
    },
    toJSON: () => saved.toJSON(),
  };
}

/**
 * Decoding as SentencePiece: unknown pieces as ` ⁇ `, control pieces dropped, byte pieces to text,
 * the dummy prefix dropped (when prefixes are added or extra whitespace removed), `▁` to spaces.
 */
function spmDecoder(model: SentencePieceModel): Decoder {
  const control = model.pieces.filter((p) => p.type === 'CONTROL').map((p) => escapeRegExp(p.piece));
  const unk = model.pieces[model.trainerSpec.unkId]!.piece;
  const steps: Decoder[] = [replaceDecoder({ regex: `${START}${escapeRegExp(unk)}${END}` }, UNK_SURFACE)];
  if (control.length > 0) steps.push(replaceDecoder({ regex: `${START}(?:${control.join('|')})${END}` }, ''));
  steps.push(byteFallbackDecoder());
  if (model.normalizerSpec.addDummyPrefix || model.normalizerSpec.removeExtraWhitespaces) steps.push(dummyPrefixDecoder(model.normalizerSpec.removeExtraWhitespaces));
  steps.push(fuseDecoder(), replaceDecoder({ string: META }, ' '));
  return sequenceDecoder(steps);
}

/**
 * A {@link Tokenizer} that gives the same ids as SentencePiece for a parsed `.model` file: its
 * normalization (precompiled rules, extra whitespace removal, dummy prefix, `▁` for spaces), the
 * Unigram or BPE model over the whole normalized text (control, unknown, unused and byte pieces
 * never match text), and SentencePiece's decoding.
 * (https://github.com/google/sentencepiece, https://arxiv.org/abs/1808.06226)
 * @param model - the parsed file, from {@link readSentencePieceModel}
 * @param source - the file name, for error messages
 * @throws ConfigError naming `source` and the field for settings not implemented (user-defined
 *   pieces in BPE models, WORD/CHAR models, `treat_whitespace_as_suffix`)
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const tokenizer = sentencePieceTokenizer(readSentencePieceModel(await readFile('spm.model'), 'spm.model'), 'spm.model');
 * tokenizer.encode('Hello world').tokens; // ['▁Hello', '▁world']
 * ```
 */
export function sentencePieceTokenizer(model: SentencePieceModel, source: string): Tokenizer {
  const userDefined = model.pieces.findIndex((p) => p.type === 'USER_DEFINED');
  if (userDefined >= 0 && model.trainerSpec.modelType !== 'UNIGRAM') {
    throw new ConfigError(`${source}: pieces[${userDefined}] ${JSON.stringify(model.pieces[userDefined]!.piece)} is USER_DEFINED, supported in UNIGRAM models only so far`);
  }
  if (model.trainerSpec.treatWhitespaceAsSuffix) throw new ConfigError(`${source}: trainer_spec.treat_whitespace_as_suffix is not supported yet`);
  return new Tokenizer({ model: spmModel(model, source), normalizer: spmNormalizer(model, source), decoder: spmDecoder(model) });
}
