import { SafetensorsError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { describeJSON } from '../utils/json-safety.js';

/**
 * The element types of the safetensors format, in the order of its reference implementation
 * (increasing alignment), see https://github.com/huggingface/safetensors. `F8_E4M3` is the
 * "fn" variant (no infinities, one NaN pattern per sign), as in PyTorch's `float8_e4m3fn`.
 * @example
 * ```ts
 * SAFETENSORS_DTYPES.includes('BF16'); // true
 * ```
 */
export const SAFETENSORS_DTYPES = [
  'BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64',
  'I64', 'U64',
] as const;

/**
 * One safetensors element type, e.g. `'F32'`, `'BF16'`, `'I64'`.
 * @example
 * ```ts
 * const dtype: SafetensorsDtype = 'F16';
 * ```
 */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/**
 * Bytes per element of each safetensors dtype.
 * @example
 * ```ts
 * SAFETENSORS_DTYPE_BYTES.BF16; // 2
 * ```
 */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = Object.freeze({
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4,
  F32: 4, F64: 8, I64: 8, U64: 8,
});

const FLOAT_DTYPES: ReadonlySet<SafetensorsDtype> = new Set(['F8_E5M2', 'F8_E4M3', 'F16', 'BF16', 'F32', 'F64']);

/**
 * A tensor as the safetensors format stores it: row-major, little-endian raw bytes.
 * `data.byteLength` is `product(shape) * SAFETENSORS_DTYPE_BYTES[dtype]` (a scalar has shape `[]`).
 * @example
 * ```ts
 * const one: RawTensor = { dtype: 'F32', shape: [], data: new Uint8Array([0, 0, 0x80, 0x3f]) };
 * ```
 */
export interface RawTensor {
  /** Element type as safetensors names it (`F32`, `BF16`, `I64`...). */
  readonly dtype: SafetensorsDtype;
  /** Dimensions; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The elements as little-endian bytes, row-major. */
  readonly data: Uint8Array;
}

/**
 * Whether `value` names a safetensors dtype.
 * @param value - anything, e.g. a `dtype` field read from a file header
 * @example
 * ```ts
 * isSafetensorsDtype('BF16'); // true
 * isSafetensorsDtype('float32'); // false
 * ```
 */
export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPE_BYTES, value);
}

/**
 * Whether a dtype holds floating-point numbers (read with {@link rawTensorToFloat32}); the others
 * hold integers or booleans (read with {@link rawTensorToInt32}).
 * @param dtype - a safetensors dtype
 * @example
 * ```ts
 * isFloatDtype('F16'); // true
 * isFloatDtype('I64'); // false
 * ```
 */
export function isFloatDtype(dtype: SafetensorsDtype): boolean {
  return FLOAT_DTYPES.has(dtype);
}

/**
 * Number of elements of a tensor of this shape, after checking every dimension is a non-negative
 * integer and the product is exactly representable.
 * @param shape - the dimensions, `[]` for a scalar
 * @param name - the tensor's name, for error messages
 * @throws SafetensorsError for a negative, fractional or non-numeric dimension, or an overflow
 * @example
 * ```ts
 * elementCount([2, 3], 'w'); // 6
 * ```
 */
export function elementCount(shape: readonly unknown[], name: string): number {
  let count = 1;
  for (const dim of shape) {
    assert(Number.isSafeInteger(dim) && (dim as number) >= 0, SafetensorsError,
      () => `tensor '${name}': shape ${describeJSON(shape)} has an invalid dimension ${describeJSON(dim)} (must be a non-negative integer)`);
    count *= dim as number;
    assert(Number.isSafeInteger(count), SafetensorsError,
      () => `tensor '${name}': shape [${shape.join(', ')}] has too many elements`);
  }
  return count;
}

/**
 * Checks that a raw tensor is consistent: a known dtype, a valid shape and a byte length equal to
 * `product(shape) * bytesPerElement`.
 * @param raw - the tensor to check
 * @param name - its name, for error messages
 * @throws SafetensorsError naming the offending values
 * @example
 * ```ts
 * checkRawTensor({ dtype: 'F32', shape: [2], data: new Uint8Array(8) }, 'bias'); // passes
 * ```
 */
export function checkRawTensor(raw: RawTensor, name: string): void {
  assert(isSafetensorsDtype(raw.dtype), SafetensorsError,
    () => `tensor '${name}': unknown dtype ${JSON.stringify(raw.dtype)} (known: ${SAFETENSORS_DTYPES.join(', ')})`);
  const expected = elementCount(raw.shape, name) * SAFETENSORS_DTYPE_BYTES[raw.dtype];
  assert(raw.data.byteLength === expected, SafetensorsError,
    () => `tensor '${name}': ${raw.dtype} shape [${raw.shape.join(', ')}] needs ${expected} bytes, got ${raw.data.byteLength}`);
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Copies elements of `width` bytes between little-endian file order and host order. */
function copySwappingToHost(src: Uint8Array, dst: Uint8Array, width: number): void {
  dst.set(src);
  if (!HOST_IS_LITTLE_ENDIAN) for (let i = 0; i < dst.length; i += width) dst.subarray(i, i + width).reverse();
}

/** IEEE 754 binary16 bits to a number (subnormals, infinities and NaN included). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** OCP FP8 E4M3 (fn variant: bias 7, no infinities, S.1111.111 is NaN) bits to a number. */
function e4m3ToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >> 3) & 0xf;
  const mantissa = bits & 7;
  if (exponent === 15 && mantissa === 7) return NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * (8 + mantissa) * 2 ** (exponent - 10);
}

function dataView(raw: RawTensor): DataView {
  return new DataView(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
}

/**
 * Decodes a floating-point raw tensor to float32 values. F32 is copied bit for bit (NaN payloads
 * and -0 kept); F16, BF16 and the FP8 formats widen exactly; F64 rounds to nearest float32.
 * @param raw - a tensor whose dtype satisfies {@link isFloatDtype}
 * @param name - its name, for error messages
 * @returns the row-major values, `product(raw.shape)` long
 * @throws SafetensorsError for an integer dtype or an inconsistent tensor
 * @example
 * ```ts
 * rawTensorToFloat32({ dtype: 'BF16', shape: [1], data: new Uint8Array([0x80, 0x3f]) }); // [1]
 * ```
 */
export function rawTensorToFloat32(raw: RawTensor, name = 'tensor'): Float32Array {
  checkRawTensor(raw, name);
  assert(isFloatDtype(raw.dtype), SafetensorsError,
    () => `tensor '${name}': dtype ${raw.dtype} is not a floating-point type; read it with rawTensorToInt32`);
  const n = raw.data.byteLength / SAFETENSORS_DTYPE_BYTES[raw.dtype];
  const out = new Float32Array(n);
  const view = dataView(raw);
  switch (raw.dtype) {
    case 'F32':
      copySwappingToHost(raw.data, new Uint8Array(out.buffer), 4);
      break;
    case 'BF16': {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      break;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F8_E5M2':
      for (let i = 0; i < n; i++) out[i] = halfToNumber(raw.data[i]! << 8);
      break;
    default: // F8_E4M3, the last float dtype
      for (let i = 0; i < n; i++) out[i] = e4m3ToNumber(raw.data[i]!);
  }
  return out;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Reads element `i` of an integer or boolean dtype as a number (64-bit types exactly, via bigint). */
function readInteger(view: DataView, dtype: SafetensorsDtype, i: number): number | bigint {
  switch (dtype) {
    case 'BOOL': return view.getUint8(i) === 0 ? 0 : 1;
    case 'U8': return view.getUint8(i);
    case 'I8': return view.getInt8(i);
    case 'I16': return view.getInt16(2 * i, true);
    case 'U16': return view.getUint16(2 * i, true);
    case 'U32': return view.getUint32(4 * i, true);
    case 'I64': return view.getBigInt64(8 * i, true);
    default: return view.getBigUint64(8 * i, true); // U64, the last integer dtype not copied directly
  }
}

/**
 * Decodes an integer or boolean raw tensor to int32 values. I32 is copied directly; narrower types
 * widen; U32, I64 and U64 values are range-checked (token ids and positions saved by PyTorch are
 * usually I64); BOOL gives 0 or 1.
 * @param raw - a tensor whose dtype does not satisfy {@link isFloatDtype}
 * @param name - its name, for error messages
 * @returns the row-major values, `product(raw.shape)` long
 * @throws SafetensorsError for a float dtype, an inconsistent tensor, or a value outside int32
 * @example
 * ```ts
 * const data = new Uint8Array(8); data[0] = 7;
 * rawTensorToInt32({ dtype: 'I64', shape: [1], data }); // Int32Array [7]
 * ```
 */
export function rawTensorToInt32(raw: RawTensor, name = 'tensor'): Int32Array {
  checkRawTensor(raw, name);
  assert(!isFloatDtype(raw.dtype), SafetensorsError,
    () => `tensor '${name}': dtype ${raw.dtype} is a floating-point type; read it with rawTensorToFloat32`);
  const n = raw.data.byteLength / SAFETENSORS_DTYPE_BYTES[raw.dtype];
  const out = new Int32Array(n);
  if (raw.dtype === 'I32') {
    copySwappingToHost(raw.data, new Uint8Array(out.buffer), 4);
    return out;
  }
  const view = dataView(raw);
  for (let i = 0; i < n; i++) {
    const value = readInteger(view, raw.dtype, i);
    assert(value >= INT32_MIN && value <= INT32_MAX, SafetensorsError,
      () => `tensor '${name}': ${raw.dtype} value ${value} at flat index ${i} does not fit in int32 [${INT32_MIN}, ${INT32_MAX}]`);
    out[i] = Number(value);
  }
  return out;
}

/**
 * Encodes float32 values as an F32 raw tensor, bit for bit.
 * @param values - row-major values, `product(shape)` long
 * @param shape - the dimensions, `[]` for a scalar
 * @throws SafetensorsError when the shape does not match the number of values
 * @example
 * ```ts
 * const raw = float32ToRawTensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * ```
 */
export function float32ToRawTensor(values: Float32Array, shape: readonly number[]): RawTensor {
  return typedToRawTensor(values, shape, 'F32');
}

/**
 * Encodes int32 values as an I32 raw tensor.
 * @param values - row-major values, `product(shape)` long
 * @param shape - the dimensions, `[]` for a scalar
 * @throws SafetensorsError when the shape does not match the number of values
 * @example
 * ```ts
 * const raw = int32ToRawTensor(new Int32Array([5, 9]), [2]);
 * ```
 */
export function int32ToRawTensor(values: Int32Array, shape: readonly number[]): RawTensor {
  return typedToRawTensor(values, shape, 'I32');
}

function typedToRawTensor(values: Float32Array | Int32Array, shape: readonly number[], dtype: 'F32' | 'I32'): RawTensor {
  const data = new Uint8Array(values.byteLength);
  copySwappingToHost(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), data, 4);
  const raw: RawTensor = { dtype, shape: [...shape], data };
  checkRawTensor(raw, 'tensor');
  return raw;
}
