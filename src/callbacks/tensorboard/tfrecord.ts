import { maskedCrc32c } from './crc32c.js';

/** Bytes of a frame around its data: u64 length, u32 CRC of the length, u32 CRC of the data. */
const FRAME_OVERHEAD = 16;

/**
 * Frames one record the way TFRecord files (and so TensorBoard event files) store it:
 * `u64 length | u32 masked_crc32c(length bytes) | data | u32 masked_crc32c(data)`, all little
 * endian. A reader checks both CRCs, so a record cut short by a crash is detected, never misread.
 * Spec: https://www.tensorflow.org/tutorials/load_data/tfrecord#tfrecords_format_details
 *
 * @param data - the record's payload (a serialized `Event` in event files)
 * @returns the framed record, `data.length + 16` bytes
 * @example
 * ```ts
 * import { encodeFileVersionEvent } from './event-message.js';
 * const frame = encodeTfRecord(encodeFileVersionEvent(Date.now() / 1000));
 * ```
 */
export function encodeTfRecord(data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(data.length + FRAME_OVERHEAD);
  const view = new DataView(frame.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(frame.subarray(0, 8)), true);
  frame.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return frame;
}
