import { ConfigError } from '../utils/errors.js';
import { readProtobufFields, type ProtobufField } from './protobuf-reader.js';

/**
 * Kind of a SentencePiece piece (`ModelProto.SentencePiece.Type`).
 * @example
 * ```ts
 * const t: SentencePieceType = 'BYTE';
 * ```
 */
export type SentencePieceType = 'NORMAL' | 'UNKNOWN' | 'CONTROL' | 'USER_DEFINED' | 'UNUSED' | 'BYTE';

/**
 * The parts of a SentencePiece `.model` file (`ModelProto`) that decide how text is tokenized.
 * (https://github.com/google/sentencepiece/blob/master/src/sentencepiece_model.proto)
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const model = readSentencePieceModel(await readFile('spm.model'), 'spm.model');
 * model.pieces[0]; // { piece: '<unk>', score: 0, type: 'UNKNOWN' }
 * ```
 */
export interface SentencePieceModel {
  /** Pieces in id order. */
  readonly pieces: readonly {
    /** The piece's text (`▁` for a space). */
    readonly piece: string;
    /** Its log probability (unigram) or negated merge rank (BPE). */
    readonly score: number;
    /** Its kind (default NORMAL). */
    readonly type: SentencePieceType;
  }[];
  /** `trainer_spec` fields that change tokenization. */
  readonly trainerSpec: {
    /** The segmentation algorithm (default UNIGRAM). */
    readonly modelType: 'UNIGRAM' | 'BPE' | 'WORD' | 'CHAR';
    /** Unknown characters become `<0xXX>` byte pieces. */
    readonly byteFallback: boolean;
    /** Id of the unknown piece (default 0). */
    readonly unkId: number;
    /** `▁` ends pieces instead of starting them. */
    readonly treatWhitespaceAsSuffix: boolean;
    /** Pieces never join digits: a training constraint, so encoding needs nothing more. */
    readonly splitDigits: boolean;
  };
  /** `normalizer_spec`: the rule name, its compiled map and the whitespace handling. */
  readonly normalizerSpec: {
    /** The normalization rule's name (`nmt_nfkc`, `identity`...). */
    readonly name: string;
    /** The compiled rules, or null for none. */
    readonly precompiledCharsmap: Uint8Array | null;
    /** A space is added before the text (default true). */
    readonly addDummyPrefix: boolean;
    /** Leading, trailing and repeated spaces are removed (default true). */
    readonly removeExtraWhitespaces: boolean;
    /** Spaces become `▁` (default true). */
    readonly escapeWhitespaces: boolean;
  };
}

const PIECE_TYPES: Record<number, SentencePieceType> = { 1: 'NORMAL', 2: 'UNKNOWN', 3: 'CONTROL', 4: 'USER_DEFINED', 5: 'UNUSED', 6: 'BYTE' };
const MODEL_TYPES: Record<number, SentencePieceModel['trainerSpec']['modelType']> = { 1: 'UNIGRAM', 2: 'BPE', 3: 'WORD', 4: 'CHAR' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Typed access to the fields of one message, failing with the file and field path. */
class Message {
  private readonly fields: ProtobufField[];

  constructor(bytes: Uint8Array, private readonly path: string) {
    this.fields = readProtobufFields(bytes, path);
  }

  private all(number: number, name: string, wireType: ProtobufField['wireType']): ProtobufField[] {
    const found = this.fields.filter((f) => f.number === number);
    const wrong = found.find((f) => f.wireType !== wireType);
    if (wrong !== undefined) throw new ConfigError(`${this.path}.${name} (field ${number}) has wire type ${wrong.wireType}, expected ${wireType}`);
    return found;
  }

  /** The last occurrence of a singular field, as protobuf reads it. */
  private last(number: number, name: string, wireType: ProtobufField['wireType']): ProtobufField | undefined {
    return this.all(number, name, wireType).at(-1);
  }

  messages(number: number, name: string): Message[] {
    return this.all(number, name, 2).map((f, i) => new Message(f.bytes, `${this.path}.${name}[${i}]`));
  }

  message(number: number, name: string): Message {
    return new Message(this.last(number, name, 2)?.bytes ?? new Uint8Array(0), `${this.path}.${name}`);
  }

  bytes(number: number, name: string): Uint8Array | null {
    return this.last(number, name, 2)?.bytes ?? null;
  }

  string(number: number, name: string, fallback: string): string {
    const field = this.last(number, name, 2);
    if (field === undefined) return fallback;
    try {
      return utf8.decode(field.bytes);
    } catch {
      throw new ConfigError(`${this.path}.${name} (field ${number}) is not valid UTF-8`);
    }
  }

  float(number: number, name: string): number {
    const field = this.last(number, name, 5);
    if (field === undefined) return 0;
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, field.low32, true);
    return view.getFloat32(0, true);
  }

  /** A varint as protobuf reads an `int32` (its low 32 bits, signed), or as 0/1 for a bool. */
  int(number: number, name: string, fallback: number): number {
    const field = this.last(number, name, 0);
    return field === undefined ? fallback : field.low32 | 0;
  }

  boolean(number: number, name: string, fallback: boolean): boolean {
    return this.int(number, name, fallback ? 1 : 0) !== 0;
  }

  enumValue<T>(number: number, name: string, values: Record<number, T>, fallback: number): T {
    const code = this.int(number, name, fallback);
    const value = values[code];
    if (value === undefined) throw new ConfigError(`${this.path}.${name} (field ${number}) has unknown value ${code}`);
    return value;
  }
}

/**
 * Reads a SentencePiece `.model` file (a serialized `ModelProto`) with a minimal protobuf reader.
 * (https://github.com/google/sentencepiece/blob/master/src/sentencepiece_model.proto)
 * @param bytes - the file's contents
 * @param source - the file name, for error messages
 * @throws ConfigError naming `source` and the field when the bytes are malformed
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const model = readSentencePieceModel(await readFile('spm.model'), 'spm.model');
 * model.trainerSpec.modelType; // 'UNIGRAM'
 * ```
 */
export function readSentencePieceModel(bytes: Uint8Array, source: string): SentencePieceModel {
  const root = new Message(bytes, source);
  const pieces = root.messages(1, 'pieces').map((p) => ({
    piece: p.string(1, 'piece', ''), score: p.float(2, 'score'), type: p.enumValue(3, 'type', PIECE_TYPES, 1),
  }));
  if (pieces.length === 0) throw new ConfigError(`${source}: pieces (field 1) is empty: not a SentencePiece model`);
  const trainer = root.message(2, 'trainer_spec');
  const normalizer = root.message(3, 'normalizer_spec');
  const charsmap = normalizer.bytes(2, 'precompiled_charsmap');
  return {
    pieces,
    trainerSpec: {
      modelType: trainer.enumValue(3, 'model_type', MODEL_TYPES, 1), byteFallback: trainer.boolean(35, 'byte_fallback', false),
      unkId: trainer.int(40, 'unk_id', 0), treatWhitespaceAsSuffix: trainer.boolean(24, 'treat_whitespace_as_suffix', false),
      splitDigits: trainer.boolean(25, 'split_digits', false),
    },
    normalizerSpec: {
      name: normalizer.string(1, 'name', ''), precompiledCharsmap: charsmap !== null && charsmap.length > 0 ? charsmap : null,
      addDummyPrefix: normalizer.boolean(3, 'add_dummy_prefix', true), removeExtraWhitespaces: normalizer.boolean(4, 'remove_extra_whitespaces', true),
      escapeWhitespaces: normalizer.boolean(5, 'escape_whitespaces', true),
    },
  };
}
