/**
 * Prometheus series → remote-write 1.0 `prometheus.WriteRequest` bodies (prompb/remote.proto,
 * prompb/types.proto; the field numbers receivers/prometheus/remote-write/decode-v1.ts reads),
 * split at a byte budget as the Collector's exporter splits them (prometheusremotewriteexporter
 * helper.go batchTimeSeries): series first, then metadata in requests of their own.
 */
import type { PromFamilyMetadata, PromMetricType, PromSeriesSamples } from '../../../model/prom-series.ts';
import { ProtoWriter } from '../helper/proto-writer.ts';

/** One uncompressed WriteRequest and the samples in it (for the exporter's counters). */
export interface WriteRequestBody {
  protobuf: Uint8Array;
  samples: number;
}

/** MetricMetadata.MetricType numbers (prompb/types.proto). */
const METRIC_TYPE_NUMBERS: Readonly<Record<PromMetricType, number>> = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
};

/** Labels sorted by name, as remote-write receivers require (remote_write_spec: "MUST be sorted"). */
function sortedLabels(series: PromSeriesSamples): [string, string][] {
  return [...series.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** TimeSeries { repeated Label labels = 1; repeated Sample samples = 2 } as WriteRequest field 1. */
function writeSeries(writer: ProtoWriter, series: PromSeriesSamples): void {
  writer.message(1);
  for (const [name, value] of sortedLabels(series)) {
    writer.message(1);
    writer.stringField(1, name);
    writer.stringField(2, value);
    writer.end();
  }
  const { timestampsMs, values } = series;
  for (let i = 0; i < timestampsMs.length; i++) {
    // Sample { double value = 1; int64 timestamp = 2 }
    writer.message(2);
    writer.doubleFieldFrom(1, values, i);
    writer.int64NumberField(2, timestampsMs[i] ?? 0);
    writer.end();
  }
  writer.end();
}

/** MetricMetadata as WriteRequest field 3. */
function writeMetadata(writer: ProtoWriter, metadata: PromFamilyMetadata): void {
  writer.message(3);
  // Every field is written, UNKNOWN (0) and empty strings too: a proto3 reader takes an explicit
  // default the same as an absent field.
  writer.varintField(1, METRIC_TYPE_NUMBERS[metadata.type]);
  writer.stringField(2, metadata.metricFamily);
  writer.stringField(4, metadata.help);
  writer.stringField(5, metadata.unit);
  writer.end();
}

/** Top-level fields written back to back, and the offset where each one ends. */
interface FieldRun {
  bytes: Uint8Array;
  endOffsets: number[];
}

function writeRun<T>(items: readonly T[], write: (writer: ProtoWriter, item: T) => void): FieldRun {
  const writer = new ProtoWriter();
  const endOffsets: number[] = [];
  for (const item of items) {
    write(writer, item);
    endOffsets.push(writer.length);
  }
  return { bytes: writer.finish(), endOffsets };
}

/** Items `[first, end)` of a run and their bytes: one request body. */
interface RunSlice {
  first: number;
  end: number;
  protobuf: Uint8Array;
}

/**
 * Cuts a run into requests of at most `maxBytes` (a field larger than that goes alone), keeping
 * the order. A WriteRequest is just its fields back to back, so each cut is a byte range.
 */
function splitRun(run: FieldRun, maxBytes: number): RunSlice[] {
  const { bytes, endOffsets } = run;
  const slices: RunSlice[] = [];
  const cut = (first: number, end: number, fromByte: number, toByte: number): void => {
    const whole = fromByte === 0 && toByte === bytes.length;
    slices.push({ first, end, protobuf: whole ? bytes : bytes.slice(fromByte, toByte) });
  };
  let first = 0;
  let fromByte = 0;
  for (let i = 0; i < endOffsets.length; i++) {
    const toByte = endOffsets[i] ?? 0;
    if (i > first && toByte - fromByte > maxBytes) {
      const previousEnd = endOffsets[i - 1] ?? 0;
      cut(first, i, fromByte, previousEnd);
      first = i;
      fromByte = previousEnd;
    }
  }
  if (endOffsets.length > first) cut(first, endOffsets.length, fromByte, bytes.length);
  return slices;
}

/**
 * Encodes series and metadata as WriteRequests of at most `maxBatchBytes` each (counting every
 * byte of the message, so a request never exceeds the budget unless one series alone does).
 * Series without samples are left out; samples must already be in time order per series.
 *
 * @example
 * const bodies = encodeWriteRequests(mapping.series, [], 3_000_000);
 * const compressed = bodies.map((body) => compressSync(body.protobuf));
 */
export function encodeWriteRequests(
  series: readonly PromSeriesSamples[],
  metadata: readonly PromFamilyMetadata[],
  maxBatchBytes: number,
): WriteRequestBody[] {
  const nonEmpty = series.filter((s) => s.timestampsMs.length > 0);
  const bodies: WriteRequestBody[] = [];
  for (const slice of splitRun(writeRun(nonEmpty, writeSeries), maxBatchBytes)) {
    let samples = 0;
    for (let i = slice.first; i < slice.end; i++) samples += nonEmpty[i]?.timestampsMs.length ?? 0;
    bodies.push({ protobuf: slice.protobuf, samples });
  }
  for (const slice of splitRun(writeRun(metadata, writeMetadata), maxBatchBytes))
    bodies.push({ protobuf: slice.protobuf, samples: 0 });
  return bodies;
}
