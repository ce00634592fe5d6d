import type { AttributeValue } from '../model/attributes.ts';
import type { LogRecord } from '../model/log-record.ts';
import type { MetricPoint } from '../model/metric-point.ts';
import type {
  PromFamilyMetadata,
  PromLabels,
  PromMetadata,
  PromSeriesColumns,
  PromSeriesSamples,
  SeriesMatcher,
} from '../model/prom-series.ts';
import type { Span, SpanKind, StatusCode } from '../model/span.ts';
import type { Signal } from '../model/signal.ts';
import type { UnixNano } from '../model/units.ts';

/**
 * The storage contract every backend implements (embedded DuckDB now, ClickHouse later). One
 * contract suite (store.contract.ts) runs against each backend.
 *
 * Writes resolve only once the data is durable: a process killed with SIGKILL after the promise
 * resolves still has it on restart ("acknowledged means durable").
 */
export interface Store {
  writeSpans(spans: Span[]): Promise<void>;
  /** Stores the points and, in the same commit, their Prometheus series (docs/metric-model.md). */
  writeMetricPoints(points: MetricPoint[]): Promise<void>;
  writeLogs(logs: LogRecord[]): Promise<void>;
  /**
   * Prometheus-shaped samples (scrape, remote write). Within a series, a sample older than the
   * series' newest, or at the same time with a different value, is rejected and counted, as
   * Prometheus rejects out-of-order and duplicate samples; an identical repeat is ignored.
   */
  writeSamples(series: PromSeriesSamples[], metadata?: PromFamilyMetadata[]): Promise<SampleWriteResult>;
  /** {@link writeSamples} for series in columns (remote write decodes into them). */
  writeSampleColumns(columns: PromSeriesColumns, metadata?: PromFamilyMetadata[]): Promise<SampleWriteResult>;
  /** Where the Prometheus series come from: counts by metric, label and label value (top `limit`). */
  cardinality(limit: number): Promise<CardinalityStatus>;

  /** All spans of one trace (any order); empty when unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  /** Traces matching the query, newest first, at most `limit`. */
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  services(range?: TimeRange): Promise<string[]>;
  operations(service: string, range?: TimeRange): Promise<Operation[]>;
  /** Span and resource attribute keys seen, for autocomplete. */
  attributeKeys(scope: AttributeScope, range?: TimeRange): Promise<string[]>;
  attributeValues(scope: AttributeScope, key: string, range?: TimeRange, limit?: number): Promise<string[]>;
  /** Client→server call counts between services (parent span's service → child span's service). */
  dependencies(range: TimeRange): Promise<DependencyEdge[]>;
  /** Apdex counts per service and operation (span name) over spans of the given kinds in range. */
  spanApdex(query: ApdexQuery): Promise<ApdexCounts[]>;

  searchLogs(query: LogQuery): Promise<LogRecord[]>;
  /** Metric points by name and time range, oldest first, at most `limit`. */
  readMetricPoints(query: MetricPointQuery): Promise<MetricPoint[]>;

  /**
   * Prometheus series matching every matcher with their samples in [minTimeMs, maxTimeMs] (both
   * inclusive), oldest first, stale markers included bit for bit. Series without samples there are
   * left out. Structurally the PromQL SeriesSource (query/promql/series-source.ts). The arrays may
   * be views of the store's memory: read them, never write to them.
   *
   * @example
   * const series = await store.selectSeries([{ name: '__name__', type: '=', value: 'up' }], startMs, endMs);
   */
  selectSeries(
    matchers: readonly SeriesMatcher[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<PromSeriesSamples[]>;
  /** Label sets of series matching any selector with samples in the range (Prometheus /api/v1/series). */
  findSeries(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<PromLabels[]>;
  /** Label names of matching series (all series when `selectors` is empty), sorted. */
  labelNames(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]>;
  /** Values of one label over matching series (all series when `selectors` is empty), sorted. */
  labelValues(
    name: string,
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]>;
  /** Metadata per metric family (Prometheus /api/v1/metadata); `metric` picks one family. */
  metricMetadata(metric: string | undefined, limit: number): Promise<Map<string, PromMetadata[]>>;

  /** Deletes data older than each signal's max age, then oldest data while over the size cap. */
  applyRetention(policy: RetentionPolicy): Promise<RetentionResult>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

export interface TimeRange {
  startUnixNano: UnixNano;
  endUnixNano: UnixNano;
}

export type AttributeScope = 'span' | 'resource';

export type AttributeOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';

export interface AttributeFilter {
  scope: AttributeScope;
  key: string;
  op: AttributeOp;
  /** For `=`/`!=` compared by type (string, bool, int, double); `=~`/`!~` take a regex string. */
  value: AttributeValue;
}

/** Trace search: a trace matches when one of its spans satisfies every span-level condition. */
export interface TraceQuery {
  range?: TimeRange;
  service?: string;
  operation?: string;
  kind?: SpanKind;
  statusCode?: StatusCode;
  minDurationNanos?: bigint;
  maxDurationNanos?: bigint;
  attributes?: AttributeFilter[];
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: UnixNano;
  durationNanos: bigint;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface Operation {
  name: string;
  kind: SpanKind;
}

export interface DependencyEdge {
  parent: string;
  child: string;
  callCount: number;
}

export interface ApdexQuery {
  range: TimeRange;
  /** Apdex T: spans up to T are satisfied, up to 4T tolerating, slower (or failed) frustrated. */
  thresholdNanos: bigint;
  service?: string;
  /** Which spans count as requests; callers default to SERVER and CONSUMER (entry points). */
  kinds: readonly SpanKind[];
}

/** Apdex = (satisfied + tolerating / 2) / total; spans with status ERROR are frustrated whatever their duration. */
export interface ApdexCounts {
  service: string;
  operation: string;
  total: number;
  satisfied: number;
  tolerating: number;
  /** Of the frustrated, how many failed (status ERROR). */
  errors: number;
}

export interface LogQuery {
  range?: TimeRange;
  service?: string;
  /** Minimum severity number (1–24 as OTLP defines). */
  minSeverityNumber?: number;
  /** Case-insensitive substring of the body text. */
  bodyContains?: string;
  traceId?: string;
  spanId?: string;
  limit: number;
}

export interface MetricPointQuery {
  name?: string;
  range?: TimeRange;
  limit: number;
}

export interface RetentionPolicy {
  maxAgeMillis: Record<Signal, number>;
  /** Total store size cap in bytes; 0 disables it. */
  maxSizeBytes: number;
}

export interface RetentionResult {
  /** Rows per signal; `metrics` counts OTLP metric points. */
  deletedRows: Record<Signal, number>;
  /** Prometheus samples deleted with the metrics (series left without samples go too). */
  deletedPromSamples: number;
}

export interface StoreStats {
  sizeBytes: number;
  /** Rows per signal; `metrics` counts OTLP metric points, not the Prometheus samples made of them. */
  rows: Record<Signal, number>;
  /** Prometheus series and samples (from OTLP points and writeSamples). */
  promSeries: number;
  promSamples: number;
}

/** Selectors of a catalog request (`match[]`): a series matches when it matches any of them. */
export type SeriesSelectors = readonly (readonly SeriesMatcher[])[];

export interface SampleWriteResult {
  /** Samples stored (identical repeats of the newest sample count as neither). */
  samplesWritten: number;
  /** Out-of-order samples and duplicates with another value, left out. */
  samplesRejected: number;
  /** Samples of new series refused because a series limit was reached (not in samplesRejected). */
  samplesRejectedBySeriesLimit?: number;
}

/** Limits on how many series the store keeps: new series past them are refused. */
export interface SeriesLimits {
  /** All series together. */
  maxSeries: number;
  /** Series of one metric name. */
  maxSeriesPerMetric: number;
}

export const DEFAULT_SERIES_LIMITS: SeriesLimits = { maxSeries: 2_000_000, maxSeriesPerMetric: 200_000 };

export interface NameCount {
  name: string;
  value: number;
}

/**
 * Series statistics in the shape of Prometheus's /api/v1/status/tsdb, plus `growthDrivers`: for
 * the metrics with most series, the label with most distinct values.
 */
export interface CardinalityStatus {
  headStats: { numSeries: number };
  seriesCountByMetricName: NameCount[];
  labelValueCountByLabelName: NameCount[];
  memoryInBytesByLabelName: NameCount[];
  seriesCountByLabelValuePair: NameCount[];
  growthDrivers: { metric: string; series: number; label: string; distinctValues: number }[];
}
