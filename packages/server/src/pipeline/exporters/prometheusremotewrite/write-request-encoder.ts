/**
 * Prometheus series → remote-write 1.0 `prometheus.WriteRequest` bodies (prompb/remote.proto,
 * prompb/types.proto; the field numbers receivers/prometheus/remote-write/decode-v1.ts reads),
 * split at a byte budget as the Collector's exporter splits them (prometheusremotewriteexporter
 * helper.go batchTimeSeries): series first, then metadata in requests of their own.
 */
import type { PromFamilyMetadata, PromMetricType, PromSeriesSamples } from '../../../model/prom-series.ts';
import { int64Size, lenFieldSize, ProtoWriter, utf8Size } from './proto-writer.ts';

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

/** Sample { double value = 1; int64 timestamp = 2 }: 9 bytes of value, a tag and the varint. */
function sampleSize(timestampMs: number): number {
  return 9 + 1 + int64Size(timestampMs);
}

/** Labels sorted by name, as remote-write receivers require (remote_write_spec: "MUST be sorted"). */
function sortedLabels(series: PromSeriesSamples): [string, string][] {
  return [...series.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface SizedSeries {
  series: PromSeriesSamples;
  labels: [string, string][];
  labelSizes: number[];
  contentBytes: number;
}

function sizeSeries(series: PromSeriesSamples): SizedSeries {
  const labels = sortedLabels(series);
  const labelSizes = labels.map(([name, value]) => lenFieldSize(utf8Size(name)) + lenFieldSize(utf8Size(value)));
  let contentBytes = 0;
  for (const size of labelSizes) contentBytes += lenFieldSize(size);
  for (const timestampMs of series.timestampsMs) contentBytes += lenFieldSize(sampleSize(timestampMs));
  return { series, labels, labelSizes, contentBytes };
}

function writeSeries(writer: ProtoWriter, sized: SizedSeries): void {
  writer.beginMessage(1, sized.contentBytes);
  sized.labels.forEach(([name, value], i) => {
    writer.beginMessage(1, sized.labelSizes[i] ?? 0);
    writer.stringField(1, name);
    writer.stringField(2, value);
  });
  const { timestampsMs, values } = sized.series;
  for (let i = 0; i < timestampsMs.length; i++) {
    const timestampMs = timestampsMs[i] ?? 0;
    writer.beginMessage(2, sampleSize(timestampMs));
    writer.doubleFieldFrom(1, values, i);
    writer.int64Field(2, timestampMs);
  }
}

function metadataContentSize(metadata: PromFamilyMetadata): number {
  return 2 + lenFieldSize(utf8Size(metadata.metricFamily)) + lenFieldSize(utf8Size(metadata.help)) + lenFieldSize(utf8Size(metadata.unit));
}

function writeMetadata(writer: ProtoWriter, metadata: PromFamilyMetadata): void {
  writer.beginMessage(3, metadataContentSize(metadata));
  // The type is always written (even UNKNOWN = 0) so the content size above stays exact.
  writer.varintField(1, METRIC_TYPE_NUMBERS[metadata.type]);
  writer.stringField(2, metadata.metricFamily);
  writer.stringField(4, metadata.help);
  writer.stringField(5, metadata.unit);
}

/**
 * Groups items into requests of at most `maxBytes` (an item larger than that goes alone), keeping
 * their order.
 */
function splitBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
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
  const sized = series.filter((s) => s.timestampsMs.length > 0).map(sizeSeries);
  const bodies: WriteRequestBody[] = [];
  for (const batch of splitBySize(sized, (s) => lenFieldSize(s.contentBytes), maxBatchBytes)) {
    const writer = new ProtoWriter(batch.reduce((sum, s) => sum + lenFieldSize(s.contentBytes), 0));
    let samples = 0;
    for (const s of batch) {
      writeSeries(writer, s);
      samples += s.series.timestampsMs.length;
    }
    bodies.push({ protobuf: writer.finish(), samples });
  }
  for (const batch of splitBySize(metadata, (m) => lenFieldSize(metadataContentSize(m)), maxBatchBytes)) {
    const writer = new ProtoWriter();
    for (const m of batch) writeMetadata(writer, m);
    bodies.push({ protobuf: writer.finish(), samples: 0 });
  }
  return bodies;
}
