/** The CRC32C (Castagnoli) polynomial 0x1EDC6F41, bit-reflected. */
const CASTAGNOLI_REFLECTED = 0x82f63b78;

/** The constant TFRecord adds to a rotated CRC; see {@link maskedCrc32c}. */
const MASK_DELTA = 0xa282ead8;

/** CRC32C of every byte value, for the byte-at-a-time algorithm. */
const TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_REFLECTED : crc >>> 1;
  return crc;
});

/**
 * CRC32C (Castagnoli, the checksum of iSCSI and of TFRecord files) of a byte array, as an unsigned
 * 32-bit integer. Spec: RFC 3720 section 12.1 and appendix B.4
 * (https://www.rfc-editor.org/rfc/rfc3720#appendix-B.4).
 *
 * @param data - the bytes to check
 * @returns the checksum in `[0, 2^32)`
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283
 * ```
 */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The masked CRC32C that TFRecord frames store: the checksum rotated right by 15 bits plus
 * `0xa282ead8`, modulo 2^32, so that a CRC of data holding CRCs stays well distributed. Spec:
 * https://www.tensorflow.org/tutorials/load_data/tfrecord#tfrecords_format_details
 *
 * @param data - the bytes to check
 * @returns the masked checksum in `[0, 2^32)`
 * @example
 * ```ts
 * declare const recordBytes: Uint8Array;
 * const stored = maskedCrc32c(recordBytes); // as written after a TFRecord's length and data
 * ```
 */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}
