/**
 * Encoders for the protobuf messages of TensorBoard event files: `Event`
 * (https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/event.proto), its
 * `Summary` and `Summary.Value`
 * (https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/summary.proto),
 * the `HistogramProto` of histograms, and the string `TensorProto` of text summaries
 * (https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/tensor.proto).
 * @module
 */
import type { Histogram } from './histogram.js';
import {
  bytesField, concatBytes, doubleField, floatField, messageField, packedDoubleField, stringField, varintField,
} from './protobuf-wire.js';

/** The version every event file declares in its first record; all versions start "brain.Event:". */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** Field numbers of `tensorflow.Event`. */
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
/** Field number of `Summary.value` (repeated `Summary.Value`). */
const SUMMARY_VALUE = 1;
/** Field numbers of `Summary.Value`. */
const VALUE = { tag: 1, simpleValue: 2, histo: 5, tensor: 8, metadata: 9 } as const;
/** Field numbers of `HistogramProto`. */
const HISTOGRAM = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 } as const;
/** Field numbers of `SummaryMetadata` and of its `PluginData`. */
const METADATA = { pluginData: 1 } as const;
const PLUGIN_DATA = { pluginName: 1 } as const;
/** Field numbers of `TensorProto`. */
const TENSOR = { dtype: 1, tensorShape: 2, stringVal: 8 } as const;
/** `DataType.DT_STRING` (tensorflow/core/framework/types.proto). */
const DT_STRING = 7;
/** The plugin TensorBoard routes text summaries to (tensorboard/plugins/text/metadata.py). */
const TEXT_PLUGIN_NAME = 'text';

/**
 * The first record of every event file: an `Event` with `wall_time` and
 * `file_version = "brain.Event:2"`, by which readers recognise the file.
 *
 * @param wallTime - seconds since the Unix epoch
 * @returns the serialized `Event`
 * @example
 * ```ts
 * const first = encodeFileVersionEvent(Date.now() / 1000);
 * ```
 */
export function encodeFileVersionEvent(wallTime: number): Uint8Array {
  return concatBytes([doubleField(EVENT.wallTime, wallTime), stringField(EVENT.fileVersion, EVENT_FILE_VERSION)]);
}

/**
 * An `Event` carrying a `Summary` of one or more values, all at one step and time.
 *
 * @param wallTime - seconds since the Unix epoch
 * @param step - the global step, a non-negative safe integer
 * @param values - serialized `Summary.Value`s from {@link encodeScalarValue}, {@link encodeTextValue}
 *   or {@link encodeHistogramValue}
 * @returns the serialized `Event`
 * @example
 * ```ts
 * const event = encodeSummaryEvent(Date.now() / 1000, 100, [encodeScalarValue('loss', 2.5)]);
 * ```
 */
export function encodeSummaryEvent(wallTime: number, step: number, values: readonly Uint8Array[]): Uint8Array {
  return concatBytes([
    doubleField(EVENT.wallTime, wallTime),
    varintField(EVENT.step, step),
    messageField(EVENT.summary, values.map((value) => bytesField(SUMMARY_VALUE, value))),
  ]);
}

/**
 * A scalar `Summary.Value`: `tag` and `simple_value`, which TensorBoard's scalars dashboard reads.
 * The value is stored as float32 (the proto's type); NaN and infinities are stored as such.
 *
 * @param tag - the series name, e.g. `"train/loss"`
 * @param value - the number
 * @returns the serialized `Summary.Value`
 * @example
 * ```ts
 * const value = encodeScalarValue('train/loss', 2.5);
 * ```
 */
export function encodeScalarValue(tag: string, value: number): Uint8Array {
  return concatBytes([stringField(VALUE.tag, tag), floatField(VALUE.simpleValue, value)]);
}

/**
 * A text `Summary.Value` as TensorBoard's text plugin writes it (`text_pb` in
 * https://github.com/tensorflow/tensorboard/blob/master/tensorboard/plugins/text/summary_v2.py):
 * `metadata.plugin_data.plugin_name = "text"` (empty content: `TextPluginData` version 0) and a
 * scalar `TensorProto` of dtype `DT_STRING` whose `string_val` holds the UTF-8 text. TensorBoard
 * renders the text as Markdown.
 *
 * @param tag - the series name, e.g. `"samples/greedy"`
 * @param text - the text
 * @returns the serialized `Summary.Value`
 * @example
 * ```ts
 * const value = encodeTextValue('samples/greedy', 'Once upon a time');
 * ```
 */
export function encodeTextValue(tag: string, text: string): Uint8Array {
  return concatBytes([
    stringField(VALUE.tag, tag),
    messageField(VALUE.metadata, [
      messageField(METADATA.pluginData, [stringField(PLUGIN_DATA.pluginName, TEXT_PLUGIN_NAME)]),
    ]),
    messageField(VALUE.tensor, [
      varintField(TENSOR.dtype, DT_STRING),
      messageField(TENSOR.tensorShape, []),
      // `string_val` is `bytes`; UTF-8 text encodes the same as a `string` field.
      stringField(TENSOR.stringVal, text),
    ]),
  ]);
}

/**
 * A histogram `Summary.Value`: `tag` and `histo`, a `HistogramProto`, which TensorBoard's
 * histograms and distributions dashboards read.
 *
 * @param tag - the series name, e.g. `"weights/blocks.0.attn.qkv"`
 * @param histogram - statistics and buckets, e.g. from `histogramOf`
 * @returns the serialized `Summary.Value`
 * @example
 * ```ts
 * import { histogramOf } from './histogram.js';
 * declare const weights: Float32Array;
 * const value = encodeHistogramValue('weights/head', histogramOf(weights, 30));
 * ```
 */
export function encodeHistogramValue(tag: string, histogram: Histogram): Uint8Array {
  return concatBytes([
    stringField(VALUE.tag, tag),
    messageField(VALUE.histo, [
      doubleField(HISTOGRAM.min, histogram.min),
      doubleField(HISTOGRAM.max, histogram.max),
      doubleField(HISTOGRAM.num, histogram.num),
      doubleField(HISTOGRAM.sum, histogram.sum),
      doubleField(HISTOGRAM.sumSquares, histogram.sumSquares),
      packedDoubleField(HISTOGRAM.bucketLimit, histogram.bucketLimit),
      packedDoubleField(HISTOGRAM.bucket, histogram.bucket),
    ]),
  ]);
}
