// An independent reader of TensorBoard event files for the tests: a bit-at-a-time CRC32C (not the
// table of src/), TFRecord unframing that checks both CRCs, and protobufjs decoding with the
// messages transcribed from tensorflow/core/util/event.proto, framework/summary.proto,
// tensor.proto and tensor_shape.proto (only the fields wordforge writes, plus their neighbours).
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';

export function bitwiseCrc32c(data: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

export function maskCrc(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

/** Whole records in order; `tail` counts the bytes of a last record cut short. Throws on a bad CRC. */
export function readTfRecords(bytes: Uint8Array): { records: Uint8Array[]; tail: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    const length = Number(view.getBigUint64(offset, true));
    if (view.getUint32(offset + 8, true) !== maskCrc(bitwiseCrc32c(bytes.subarray(offset, offset + 8)))) {
      throw new Error(`bad length CRC at byte ${offset}`);
    }
    if (offset + 16 + length > bytes.length) break;
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    if (view.getUint32(offset + 12 + length, true) !== maskCrc(bitwiseCrc32c(data))) {
      throw new Error(`bad data CRC at byte ${offset}`);
    }
    records.push(data);
    offset += 16 + length;
  }
  return { records, tail: bytes.length - offset };
}

const EVENT_PROTO = `
syntax = "proto3";
package tensorflow;
message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}
message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}
message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated bytes string_val = 8;
}
message SummaryMetadata {
  message PluginData { string plugin_name = 1; bytes content = 2; }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  int32 data_class = 4;
}
message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      HistogramProto histo = 5;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
  }
}
`;

const EventType = protobuf.parse(EVENT_PROTO, { keepCase: true }).root.lookupType('tensorflow.Event');

/** A decoded Event as a plain object (int64 as number, bytes as Buffer, absent fields absent). */
export interface DecodedEvent {
  wall_time?: number;
  step?: number;
  file_version?: string;
  summary?: {
    value: Array<{
      tag: string;
      simple_value?: number;
      histo?: {
        min: number; max: number; num: number; sum: number; sum_squares: number;
        bucket_limit: number[]; bucket: number[];
      };
      metadata?: { plugin_data?: { plugin_name?: string; content?: Uint8Array } };
      tensor?: { dtype?: number; tensor_shape?: { dim?: Array<{ size: number }> }; string_val?: Uint8Array[] };
    }>;
  };
}

export function decodeEvent(data: Uint8Array): DecodedEvent {
  return EventType.toObject(EventType.decode(data), { longs: Number, arrays: true }) as DecodedEvent;
}

/** Reads every whole record of an event file and decodes it. */
export async function readEventFile(path: string): Promise<DecodedEvent[]> {
  const { records, tail } = readTfRecords(await readFile(path));
  if (tail !== 0) throw new Error(`${path} ends with ${tail} bytes of a torn record`);
  return records.map(decodeEvent);
}
