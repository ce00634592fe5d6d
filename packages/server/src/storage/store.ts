import type { AttributeValue } from '../model/attributes.ts';
import type { LogRecord } from '../model/log-record.ts';
import type { MetricPoint } from '../model/metric-point.ts';
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
  writeMetricPoints(points: MetricPoint[]): Promise<void>;
  writeLogs(logs: LogRecord[]): Promise<void>;

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

  searchLogs(query: LogQuery): Promise<LogRecord[]>;
  /** Metric points by name and time range, oldest first, at most `limit`. */
  readMetricPoints(query: MetricPointQuery): Promise<MetricPoint[]>;

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
  deletedRows: Record<Signal, number>;
}

export interface StoreStats {
  sizeBytes: number;
  rows: Record<Signal, number>;
}
