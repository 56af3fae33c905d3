import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../src/callbacks/tensorboard/crc32c.js';
import {
  encodeFileVersionEvent, encodeHistogramValue, encodeScalarValue, encodeSummaryEvent, encodeTextValue,
} from '../../src/callbacks/tensorboard/event-message.js';
import { histogramOf } from '../../src/callbacks/tensorboard/histogram.js';
import { RangeArgumentError } from '../../src/utils/errors.js';
import { encodeTfRecord } from '../../src/callbacks/tensorboard/tfrecord.js';
import { bitwiseCrc32c, decodeEvent, maskCrc, readTfRecords } from './tensorboard-reader.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
const descending = Uint8Array.from({ length: 32 }, (_, i) => 31 - i);

describe('crc32c', () => {
  // RFC 3720 appendix B.4 and the common check value of CRC-32C.
  const vectors: Array<[string, Uint8Array, number]> = [
    ['"123456789"', ascii('123456789'), 0xe3069283],
    ['32 zero bytes', filled(0), 0x8a9136aa],
    ['32 0xFF bytes', filled(0xff), 0x62a8ab43],
    ['32 ascending bytes', ascending, 0x46dd794e],
    ['32 descending bytes', descending, 0x113fdb5c],
    ['no bytes', new Uint8Array(0), 0],
  ];

  it.each(vectors)('matches the known value for %s (and the bit-at-a-time reference)', (_, data, expected) => {
    expect(crc32c(data)).toBe(expected);
    expect(bitwiseCrc32c(data)).toBe(expected);
  });

  it('agrees with the reference on random data of many lengths', () => {
    let seed = 12345;
    for (let length = 0; length < 300; length += 7) {
      const data = Uint8Array.from({ length }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
      expect(crc32c(data)).toBe(bitwiseCrc32c(data));
    }
  });

  // Masked values from Apache Beam's tfrecordio tests (computed there with crcmod).
  it.each([
    ['32 zero bytes', filled(0), 0x0fd7fffa],
    ['32 0xFF bytes', filled(0xff), 0xf909b029],
    ['"foo"', ascii('foo'), 0xfebe8a61],
    ['the u64 length 3', Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0), 0x0e4999b0],
  ] as Array<[string, Uint8Array, number]>)('masks as TFRecord does for %s', (_, data, expected) => {
    expect(maskedCrc32c(data)).toBe(expected);
    expect(maskCrc(bitwiseCrc32c(data))).toBe(expected);
  });
});

describe('encodeTfRecord', () => {
  it('frames "foo" as length, masked CRC of the length, data, masked CRC of the data', () => {
    expect(Array.from(encodeTfRecord(ascii('foo')))).toEqual([
      3, 0, 0, 0, 0, 0, 0, 0, 0xb0, 0x99, 0x49, 0x0e, 0x66, 0x6f, 0x6f, 0x61, 0x8a, 0xbe, 0xfe,
    ]);
  });

  it('frames records that an independent reader splits back, an empty one included', () => {
    const payloads = [ascii(''), ascii('a'), ascending, new Uint8Array(70_000).fill(7)];
    const { records, tail } = readTfRecords(Buffer.concat(payloads.map(encodeTfRecord)));
    expect(tail).toBe(0);
    expect(records.map((record) => Array.from(record))).toEqual(payloads.map((payload) => Array.from(payload)));
  });
});

describe('Event messages', () => {
  it('encode the file version record', () => {
    expect(decodeEvent(encodeFileVersionEvent(1_700_000_000.25))).toEqual({
      wall_time: 1_700_000_000.25, file_version: 'brain.Event:2',
    });
  });

  it('encode scalars with float32 values, non-finite ones included, and large steps', () => {
    const values = [['loss', 2.5], ['lr', 3e-4], ['nan', NaN], ['inf', Infinity], ['-inf', -Infinity]] as const;
    const encoded = values.map(([tag, v]) => encodeScalarValue(tag, v));
    const event = decodeEvent(encodeSummaryEvent(12.5, 2 ** 40 + 3, encoded));
    expect(event.wall_time).toBe(12.5);
    expect(event.step).toBe(2 ** 40 + 3);
    expect(event.summary?.value.map((value) => value.tag)).toEqual(values.map(([tag]) => tag));
    expect(event.summary?.value.map((value) => value.simple_value)).toEqual(values.map(([, v]) => Math.fround(v)));
  });

  it('encode step 0 and an empty summary', () => {
    expect(decodeEvent(encodeSummaryEvent(1, 0, []))).toEqual({ wall_time: 1, step: 0, summary: { value: [] } });
  });

  it('encode text as the text plugin does: plugin name "text", a scalar DT_STRING tensor', () => {
    const text = 'Once upon a time — ünïcødé 🙂\nline two';
    const [value] = decodeEvent(encodeSummaryEvent(1, 7, [encodeTextValue('samples/greedy', text)])).summary!.value;
    expect(value!.tag).toBe('samples/greedy');
    expect(value!.simple_value).toBeUndefined();
    expect(value!.metadata?.plugin_data?.plugin_name).toBe('text');
    expect(value!.tensor?.dtype).toBe(7);
    expect(value!.tensor?.tensor_shape?.dim).toEqual([]);
    expect(value!.tensor?.string_val?.map((bytes) => Buffer.from(bytes).toString('utf8'))).toEqual([text]);
  });
});

describe('histogramOf', () => {
  it('counts values into equal-width buckets, the maximum in the last one', () => {
    expect(histogramOf(Float32Array.of(0, 0.5, 1, 0.25, 2), 4)).toEqual({
      min: 0, max: 2, num: 5, sum: 3.75, sumSquares: 5.3125,
      bucketLimit: Float64Array.of(0.5, 1, 1.5, 2), bucket: Float64Array.of(2, 1, 1, 1),
    });
  });

  it('uses one bucket when all values are equal', () => {
    expect(histogramOf([3, 3, 3], 30)).toMatchObject({
      min: 3, max: 3, num: 3, bucketLimit: Float64Array.of(3), bucket: Float64Array.of(3),
    });
  });

  it('rejects no values, non-finite values and bad bucket counts', () => {
    expect(() => histogramOf([], 30)).toThrow(RangeArgumentError);
    expect(() => histogramOf([1, NaN], 30))
      .toThrow(new RangeArgumentError('histogram values must be finite, got NaN at index 1'));
    expect(() => histogramOf([1], 0)).toThrow(/bucketCount \(0\)/);
  });

  it('encodes as a HistogramProto in Summary.Value.histo', () => {
    const encoded = encodeHistogramValue('w', histogramOf([-1, 0, 1, 1], 2));
    const [value] = decodeEvent(encodeSummaryEvent(1, 2, [encoded])).summary!.value;
    expect(value).toEqual({
      tag: 'w',
      histo: { min: -1, max: 1, num: 4, sum: 1, sum_squares: 3, bucket_limit: [0, 1], bucket: [1, 3] },
    });
  });
});
