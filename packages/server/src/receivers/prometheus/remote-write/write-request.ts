import type { PromFamilyMetadata, PromMetricType } from '../../../model/prom-series.ts';
import type { PromSeriesColumns, PromSeriesSamples } from '../../../model/prom-series.ts';

/** The two remote-write protobuf messages, named as the Content-Type `proto=` parameter names them. */
export type RemoteWriteProtocol = 'prometheus.WriteRequest' | 'io.prometheus.write.v2.Request';

/** Why a decoded sample was left out before it reached storage; a label of the self-metrics. */
export type DecodeDropReason = 'invalid_labels' | 'too_far_in_future' | 'native_histogram_unsupported';

/**
 * A remote-write request decoded for storage: series with their float samples, the metric families'
 * metadata, and what was left out. Both protocol versions decode to this shape.
 */
export interface DecodedWriteRequest {
  /** The series with samples, in columns (what the store takes without an object per series). */
  columns: PromSeriesColumns;
  /** The same series as objects, built on first use (views of `columns`). */
  readonly series: PromSeriesSamples[];
  metadata: PromFamilyMetadata[];
  /** Float samples decoded into `series`. */
  sampleCount: number;
  /** Samples (and native histogram samples) left out, by reason. */
  dropped: Record<DecodeDropReason, number>;
  /** Exemplars received; Vigil's store keeps none yet, so none are written. */
  exemplarCount: number;
  /**
   * Why series were refused, one line each, at most {@link MAX_PROBLEMS}; by series position,
   * never quoting label values (STYLE.md: no payload contents in errors).
   */
  problems: string[];
}

/** Enough lines for a client to see the pattern without the answer growing with the request. */
export const MAX_PROBLEMS = 10;

/** Thrown when a body is not the protobuf message it claims to be; answered with 400. */
export class RemoteWriteDecodeError extends Error {
  override readonly name = 'RemoteWriteDecodeError';
}

/** Options both decoders take. */
export interface DecodeOptions {
  /**
   * Samples newer than this are dropped: Prometheus's write handler refuses samples more than
   * 10 min ahead of its clock (storage/remote/write_handler.go, maxAheadTime) as out of bounds.
   */
  maxTimestampMs: number;
}

/**
 * MetricMetadata.MetricType (1.0) and Metadata.MetricType (2.0) share their numbering; 0 is
 * UNKNOWN / UNSPECIFIED.
 */
const METRIC_TYPES: readonly PromMetricType[] = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

/** The metric type for a protobuf enum number; numbers from newer senders read as 'unknown'. */
export function metricTypeOf(enumNumber: number): PromMetricType {
  return METRIC_TYPES[enumNumber] ?? 'unknown';
}
