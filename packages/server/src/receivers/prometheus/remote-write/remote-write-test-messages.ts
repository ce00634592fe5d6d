/**
 * Test support: remote-write 1.0 and 2.0 requests built with protobufjs from the upstream schemas
 * (prompb/types.proto, prompb/remote.proto, prompb/io/prometheus/write/v2/types.proto), so the
 * hand-written decoders are checked against an independent encoder.
 */
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';

const SCHEMA = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message Histogram { uint64 count_int = 1; double sum = 3; int64 timestamp = 15; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
message Label { string name = 1; string value = 2; }
message V2Request { repeated string symbols = 4; repeated V2TimeSeries timeseries = 5; }
message V2TimeSeries {
  repeated uint32 labels_refs = 1; repeated V2Sample samples = 2; repeated Histogram histograms = 3;
  repeated V2Exemplar exemplars = 4; V2Metadata metadata = 5; int64 created_timestamp = 6;
}
message V2Sample { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
message V2Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
message V2Metadata { int32 type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
`;

const root = protobuf.parse(SCHEMA).root;
const writeRequestType = root.lookupType('prometheus.WriteRequest');
const v2RequestType = root.lookupType('prometheus.V2Request');

export type TestLabels = Record<string, string>;

export interface TestSeries {
  labels: TestLabels;
  samples: [timestampMs: number, value: number][];
  exemplars?: number;
  histograms?: number;
  /** 2.0 only: [type enum, help, unit]. */
  metadata?: [number, string, string];
}

/** A 1.0 prometheus.WriteRequest, protobuf-encoded. */
export function encodeV1(
  series: TestSeries[],
  metadata: { type: number; family: string; help: string; unit: string }[] = [],
): Uint8Array {
  const message = writeRequestType.fromObject({
    timeseries: series.map((s) => ({
      labels: Object.entries(s.labels).map(([name, value]) => ({ name, value })),
      samples: s.samples.map(([timestamp, value]) => ({ timestamp, value })),
      exemplars: Array.from({ length: s.exemplars ?? 0 }, () => ({ value: 1, timestamp: 1 })),
      histograms: Array.from({ length: s.histograms ?? 0 }, () => ({ countInt: 1, sum: 1, timestamp: 1 })),
    })),
    metadata: metadata.map((m) => ({ type: m.type, metricFamilyName: m.family, help: m.help, unit: m.unit })),
  });
  return writeRequestType.encode(message).finish();
}

/** A 2.0 io.prometheus.write.v2.Request, protobuf-encoded, with a symbol table starting with ''. */
export function encodeV2(series: TestSeries[]): Uint8Array {
  const symbols = [''];
  const ref = (text: string): number => {
    const index = symbols.indexOf(text);
    return index >= 0 ? index : symbols.push(text) - 1;
  };
  const timeseries = series.map((s) => ({
    labelsRefs: Object.entries(s.labels).flatMap(([name, value]) => [ref(name), ref(value)]),
    samples: s.samples.map(([timestamp, value]) => ({ timestamp, value })),
    exemplars: Array.from({ length: s.exemplars ?? 0 }, () => ({ value: 1, timestamp: 1 })),
    histograms: Array.from({ length: s.histograms ?? 0 }, () => ({ countInt: 1, sum: 1, timestamp: 1 })),
    metadata: s.metadata
      ? { type: s.metadata[0], helpRef: ref(s.metadata[1]), unitRef: ref(s.metadata[2]) }
      : undefined,
  }));
  return v2RequestType.encode(v2RequestType.fromObject({ symbols, timeseries })).finish();
}

/** Snappy block format, as remote-write senders compress bodies. */
export function snappy(body: Uint8Array): Buffer {
  return compressSync(Buffer.from(body));
}

/** Prometheus's stale marker, value.StaleNaN: the signalling NaN 0x7ff0000000000002. */
export const PROMETHEUS_STALE_NAN_BITS = 0x7ff0000000000002n;

export function float64Bits(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return view.getBigUint64(0, true);
}

/** Patches the first occurrence of `marker`'s 8 bytes in `body` with Prometheus's stale NaN bits. */
export function withStaleMarker(body: Uint8Array, marker: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, marker, true);
  const needle = Buffer.from(view.buffer);
  const copy = Buffer.from(body);
  const at = copy.indexOf(needle);
  if (at < 0) throw new Error('marker value not found');
  copy.writeBigUInt64LE(PROMETHEUS_STALE_NAN_BITS, at);
  return copy;
}
