/**
 * Field encoders for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
 * just enough to write the messages of TensorBoard event files. Each returns the bytes of one
 * field (key and payload); a message is the concatenation of its fields, see {@link messageField}.
 * @module
 */

/** Wire types of the protobuf encoding. */
const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
type WireType = (typeof WireType)[keyof typeof WireType];

const utf8 = new TextEncoder();

/** Base-128 varint of a non-negative safe integer; arithmetic, not bit operations, past 2^31. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

/** IEEE 754 binary64 encodings of the values, little endian, back to back. */
function float64Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
  return bytes;
}

/** The field key (number and wire type) followed by a payload. */
function field(fieldNumber: number, wireType: WireType, payload: ArrayLike<number>): Uint8Array {
  const key = varint(fieldNumber * 8 + wireType);
  const out = new Uint8Array(key.length + payload.length);
  out.set(key);
  out.set(payload, key.length);
  return out;
}

/**
 * Concatenates byte arrays, e.g. the encoded fields of one message.
 *
 * @param parts - the arrays, in order
 * @returns one array holding them all
 * @example
 * ```ts
 * const message = concatBytes([stringField(1, 'loss'), floatField(2, 0.5)]);
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A varint field: `int32`, `int64`, `uint64`, `bool` or an enum holding a non-negative integer
 * (negative values are not needed by event files and not supported).
 * Spec: https://protobuf.dev/programming-guides/encoding/#varints
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param value - a non-negative safe integer (up to 2^53 - 1)
 * @example
 * ```ts
 * varintField(2, 1000); // Event.step = 1000
 * ```
 */
export function varintField(fieldNumber: number, value: number): Uint8Array {
  return field(fieldNumber, WireType.Varint, varint(value));
}

/**
 * A `double` field: 8 bytes, IEEE 754 binary64, little endian.
 * Spec: https://protobuf.dev/programming-guides/encoding/#non-varints
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param value - any number, NaN and infinities included
 * @example
 * ```ts
 * doubleField(1, Date.now() / 1000); // Event.wall_time
 * ```
 */
export function doubleField(fieldNumber: number, value: number): Uint8Array {
  return field(fieldNumber, WireType.Fixed64, float64Bytes([value]));
}

/**
 * A packed `repeated double` field: the values' 8-byte little-endian encodings, length-delimited.
 * Spec: https://protobuf.dev/programming-guides/encoding/#packed
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param values - the numbers, NaN and infinities included
 * @example
 * ```ts
 * packedDoubleField(6, [0.5, 1, 1.5]); // HistogramProto.bucket_limit
 * ```
 */
export function packedDoubleField(fieldNumber: number, values: ArrayLike<number>): Uint8Array {
  return bytesField(fieldNumber, float64Bytes(values));
}

/**
 * A `float` field: 4 bytes, IEEE 754 binary32 (the value rounded to float32), little endian.
 * Spec: https://protobuf.dev/programming-guides/encoding/#non-varints
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param value - any number, NaN and infinities included
 * @example
 * ```ts
 * floatField(2, 0.25); // Summary.Value.simple_value
 * ```
 */
export function floatField(fieldNumber: number, value: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setFloat32(0, value, true);
  return field(fieldNumber, WireType.Fixed32, payload);
}

/**
 * A `bytes` field: the length as a varint, then the bytes.
 * Spec: https://protobuf.dev/programming-guides/encoding/#length-types
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param value - the bytes
 * @example
 * ```ts
 * bytesField(8, new TextEncoder().encode('hello')); // TensorProto.string_val
 * ```
 */
export function bytesField(fieldNumber: number, value: Uint8Array): Uint8Array {
  return field(fieldNumber, WireType.LengthDelimited, concatBytes([Uint8Array.from(varint(value.length)), value]));
}

/**
 * A `string` field: UTF-8 bytes, length-delimited.
 * Spec: https://protobuf.dev/programming-guides/encoding/#length-types
 *
 * @param fieldNumber - the field's number in the `.proto`
 * @param value - the text
 * @example
 * ```ts
 * stringField(3, 'brain.Event:2'); // Event.file_version
 * ```
 */
export function stringField(fieldNumber: number, value: string): Uint8Array {
  return bytesField(fieldNumber, utf8.encode(value));
}

/**
 * An embedded message field: the concatenated fields of the inner message, length-delimited.
 * An empty list writes a present but empty message (e.g. the shape of a scalar tensor).
 * Spec: https://protobuf.dev/programming-guides/encoding/#embedded
 *
 * @param fieldNumber - the field's number in the outer message
 * @param fields - the inner message's encoded fields
 * @example
 * ```ts
 * messageField(5, [messageField(1, [stringField(1, 'loss'), floatField(2, 0.5)])]); // Event.summary
 * ```
 */
export function messageField(fieldNumber: number, fields: readonly Uint8Array[]): Uint8Array {
  return bytesField(fieldNumber, concatBytes(fields));
}
