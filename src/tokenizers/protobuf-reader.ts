import { ConfigError } from '../utils/errors.js';

/**
 * One field of a protobuf message: its number and, by wire type, a varint, a 32-bit word or a
 * length-delimited byte range. (https://protobuf.dev/programming-guides/encoding/)
 * @example
 * ```ts
 * const f: ProtobufField = { number: 1, wireType: 2, varint: 0, low32: 0, bytes: new Uint8Array([104, 105]) };
 * ```
 */
export interface ProtobufField {
  /** The field number. */
  readonly number: number;
  /** 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
  readonly wireType: 0 | 1 | 2 | 5;
  /** The value of a varint field (exact below 2^53), or the little-endian 32-bit word of a wire type 5 field. */
  readonly varint: number;
  /** The low 32 bits of `varint`, exact (what an `int32` field reads, as `low32 | 0`). */
  readonly low32: number;
  /** The bytes of a length-delimited field (empty for other wire types). */
  readonly bytes: Uint8Array;
}

/**
 * Splits one protobuf message into its fields (wire format only, no schema), failing on truncated
 * or malformed input instead of reading past the end. Groups (wire types 3, 4) are rejected.
 * (https://protobuf.dev/programming-guides/encoding/)
 * @param bytes - the encoded message
 * @param context - where the message comes from (file and field path), for error messages
 * @throws ConfigError naming `context`, the field and the byte offset when the bytes are malformed
 * @example
 * ```ts
 * readProtobufFields(new Uint8Array([0x08, 0x96, 0x01]), 'x.model')[0]!.varint; // 150
 * ```
 */
export function readProtobufFields(bytes: Uint8Array, context: string): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let at = 0;
  let low32 = 0;
  const varint = (what: string): number => {
    let value = 0;
    low32 = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length) throw new ConfigError(`${context}: truncated ${what} at byte ${at}`);
      if (shift > 63) throw new ConfigError(`${context}: ${what} at byte ${at} is longer than 10 bytes`);
      const b = bytes[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (shift < 32) low32 = (low32 | ((b & 0x7f) << shift)) >>> 0;
      if ((b & 0x80) === 0) return value;
    }
  };
  const empty = new Uint8Array(0);
  while (at < bytes.length) {
    const start = at;
    const key = varint('field key');
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    const name = `field ${number}`;
    if (number === 0) throw new ConfigError(`${context}: field number 0 at byte ${start}`);
    if (wireType === 0) fields.push({ number, wireType, varint: varint(name), low32, bytes: empty });
    else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new ConfigError(`${context}: truncated ${name} (${size} bytes) at byte ${at}`);
      const word = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
      fields.push({ number, wireType, varint: word, low32: word, bytes: empty });
      at += size;
    } else if (wireType === 2) {
      const length = varint(`length of ${name}`);
      if (at + length > bytes.length) throw new ConfigError(`${context}: ${name} at byte ${at} declares ${length} bytes, ${bytes.length - at} remain`);
      fields.push({ number, wireType, varint: 0, low32: 0, bytes: bytes.subarray(at, at + length) });
      at += length;
    } else throw new ConfigError(`${context}: ${name} at byte ${start} has unsupported wire type ${wireType}`);
  }
  return fields;
}
