import { readdirSync, statSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LogRecord } from '../../model/log-record.ts';
import type { MetricPoint } from '../../model/metric-point.ts';
import { mapMetricPointsToProm } from '../../model/prom-mapping.ts';
import type {
  PromFamilyMetadata,
  PromLabels,
  PromMetadata,
  PromSeriesColumns,
  PromSeriesSamples,
  SeriesMatcher,
} from '../../model/prom-series.ts';
import type { Signal } from '../../model/signal.ts';
import type { Span } from '../../model/span.ts';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import type {
  ApdexCounts,
  ApdexQuery,
  AttributeScope,
  CardinalityStatus,
  DependencyEdge,
  LogQuery,
  MetricPointQuery,
  Operation,
  RetentionPolicy,
  RetentionResult,
  SampleWriteResult,
  SeriesLimits,
  SeriesSelectors,
  Store,
  StoreStats,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../store.ts';
import { DEFAULT_SERIES_LIMITS } from '../store.ts';
import type { TableBatch } from './columnar.ts';
import { DimensionCache } from './dimension-decoder.ts';
import { DimensionCollector } from './dimension-encoder.ts';
import { encodeLogs } from './log-encoder.ts';
import { searchLogs } from './log-queries.ts';
import { encodeMetricPoints } from './metric-encoder.ts';
import { readMetricPoints } from './metric-queries.ts';
import { encodeSeriesColumns, encodeSeriesWrite } from './prom/series-encoder.ts';
import { WireIdRegistry } from './prom/wire-ids.ts';
import type { SeriesWrite } from './prom/protocol.ts';
import { PromQueries } from './prom/queries.ts';
import { sampleWalDir } from './prom/sample-wal.ts';
import type { HeadStatus } from './prom/series-store.ts';
import { applyRetention, storeStats, usedBytes } from './retention.ts';
import { encodeSpans } from './span-encoder.ts';
import { TraceQueries } from './trace-queries.ts';
import { StoreOpenError, WorkerClient } from './worker-client.ts';

export { StoreOpenError } from './worker-client.ts';

export interface DuckDbStoreOptions {
  /** The database file; its directory must exist and be writable. */
  path: string;
  /** WAL size that triggers an automatic checkpoint; larger means faster sustained writes. Default 256MB. */
  checkpointThreshold?: string;
  /** DuckDB worker threads for queries; default DuckDB's (one per core). */
  threads?: number;
  /** Series limits: samples of new series past them are refused (counted). Default DEFAULT_SERIES_LIMITS. */
  seriesLimits?: SeriesLimits;
}

const writeDuration = selfMetrics.histogram(
  'vigil_store_write_duration_seconds',
  'Time from a store write call to its commit, by signal.',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);
const rowsWritten = selfMetrics.counter(
  'vigil_store_rows_written_total',
  'Rows committed to the store, by signal.',
);
const storeSize = selfMetrics.gauge(
  'vigil_store_size_bytes',
  'Store size on disk (database file, its WAL and the sample WAL).',
);
const samplesRejected = selfMetrics.counter(
  'vigil_prom_samples_rejected_total',
  'Prometheus samples not stored: out of order, duplicate with another value, or invalid.',
);
const seriesLimitRejections = selfMetrics.counter(
  'vigil_prom_series_limit_rejected_samples_total',
  'Prometheus samples refused because their new series would pass a series limit (total or per metric).',
);
const pointsUntranslated = selfMetrics.counter(
  'vigil_prom_points_untranslated_total',
  'OTLP metric points stored without Prometheus series, by reason (delta temporality, exponential histogram, invalid name).',
);

/**
 * The embedded store: one DuckDB file owned by a worker thread (duckdb-worker.ts). Batches are
 * converted to columns here and committed there; concurrent writes share one commit (group commit)
 * and each promise resolves only after its rows are committed, i.e. fsynced to the WAL.
 *
 * @example
 * const store = await openDuckDbStore({ path: '/var/lib/vigil/vigil.duckdb' });
 * await store.writeSpans(spans); // durable once resolved
 * const spansOfTrace = await store.getTrace('4bf92f3577b34da6a3ce929d0e0e4736');
 * await store.close();
 */
export class DuckDbStore implements Store {
  private readonly dimensions: DimensionCache;
  private readonly traces: TraceQueries;
  private readonly prom: PromQueries;
  private readonly collector = new DimensionCollector();
  /** Remote-write label sets the worker knows by a small id (prom/wire-ids.ts). */
  private readonly wireIds = new WireIdRegistry();

  constructor(
    private readonly client: WorkerClient,
    readonly path: string,
  ) {
    const run = (sql: string, params: Parameters<WorkerClient['query']>[1] = []): Promise<unknown[][]> =>
      client.query(sql, params);
    this.dimensions = new DimensionCache(run);
    this.traces = new TraceQueries(run, this.dimensions);
    this.prom = new PromQueries(client);
  }

  async writeSpans(spans: Span[]): Promise<void> {
    await this.write('traces', spans.length, () => encodeSpans(spans, this.collector));
  }

  async writeMetricPoints(points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const mapping = mapMetricPointsToProm(points);
    for (const [reason, count] of Object.entries(mapping.skippedPoints)) {
      if (count > 0) pointsUntranslated.inc({ reason }, count);
    }
    const { write, invalidSamples } = encodeSeriesWrite(mapping.series, mapping.metadata);
    await this.write(
      'metrics',
      points.length,
      () => encodeMetricPoints(points, this.collector),
      write,
      invalidSamples,
    );
  }

  async writeSamples(
    series: PromSeriesSamples[],
    metadata: PromFamilyMetadata[] = [],
  ): Promise<SampleWriteResult> {
    return this.writeEncoded(encodeSeriesWrite(series, metadata, this.wireIds));
  }

  async writeSampleColumns(
    columns: PromSeriesColumns,
    metadata: PromFamilyMetadata[] = [],
  ): Promise<SampleWriteResult> {
    return this.writeEncoded(encodeSeriesColumns(columns, metadata, this.wireIds));
  }

  private async writeEncoded({
    write,
    invalidSamples,
    announced,
  }: ReturnType<typeof encodeSeriesColumns>): Promise<SampleWriteResult> {
    const result = await this.write('metrics', write.timestampsMs.length, () => [], write, invalidSamples);
    this.wireIds.acknowledge(announced);
    return { ...result, samplesRejected: result.samplesRejected + invalidSamples };
  }

  selectSeries(
    matchers: readonly SeriesMatcher[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<PromSeriesSamples[]> {
    return this.prom.selectSeries(matchers, minTimeMs, maxTimeMs);
  }

  findSeries(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<PromLabels[]> {
    return this.prom.findSeries(selectors, minTimeMs, maxTimeMs, limit);
  }

  labelNames(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    return this.prom.labelNames(selectors, minTimeMs, maxTimeMs, limit);
  }

  labelValues(
    name: string,
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    return this.prom.labelValues(name, selectors, minTimeMs, maxTimeMs, limit);
  }

  /** Samples in the head (not yet compacted), the sample WAL's size and what its replay found at open. */
  promHeadStatus(): Promise<HeadStatus> {
    return this.prom.headStatus();
  }

  cardinality(limit: number): Promise<CardinalityStatus> {
    return this.prom.cardinality(limit);
  }

  metricMetadata(metric: string | undefined, limit: number): Promise<Map<string, PromMetadata[]>> {
    return this.prom.metricMetadata(metric, limit);
  }

  async writeLogs(logs: LogRecord[]): Promise<void> {
    await this.write('logs', logs.length, () => encodeLogs(logs, this.collector));
  }

  getTrace(traceId: string): Promise<Span[]> {
    return this.traces.getTrace(traceId);
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return this.traces.searchTraces(query);
  }

  services(range?: TimeRange): Promise<string[]> {
    return this.traces.services(range);
  }

  operations(service: string, range?: TimeRange): Promise<Operation[]> {
    return this.traces.operations(service, range);
  }

  attributeKeys(scope: AttributeScope, range?: TimeRange): Promise<string[]> {
    return this.traces.attributeKeys(scope, range);
  }

  attributeValues(scope: AttributeScope, key: string, range?: TimeRange, limit?: number): Promise<string[]> {
    return this.traces.attributeValues(scope, key, range, limit);
  }

  dependencies(range: TimeRange): Promise<DependencyEdge[]> {
    return this.traces.dependencies(range);
  }

  spanApdex(query: ApdexQuery): Promise<ApdexCounts[]> {
    return this.traces.spanApdex(query);
  }

  searchLogs(query: LogQuery): Promise<LogRecord[]> {
    return searchLogs(query, (sql, params) => this.client.query(sql, params), this.dimensions);
  }

  readMetricPoints(query: MetricPointQuery): Promise<MetricPoint[]> {
    return readMetricPoints(query, (sql, params) => this.client.query(sql, params), this.dimensions);
  }

  applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
    return applyRetention(this.client, this.path, policy);
  }

  stats(): Promise<StoreStats> {
    return storeStats(this.client, this.path);
  }

  /**
   * Bytes the data occupies (used blocks plus WAL), which the size cap is enforced on. The file
   * itself keeps freed blocks for reuse by later writes; DuckDB truncates it only at its tail.
   */
  dataBytes(): Promise<number> {
    return usedBytes(this.client, this.path);
  }

  /**
   * Compacts Prometheus sample rows older than `beforeMillis` into per-series chunk rows now
   * (docs/adr/0003-prometheus-series.md); the worker does it on its own an hour after each 2 h
   * window ends. Resolves with the samples moved.
   */
  compactPromSamples(beforeMillis = Infinity): Promise<number> {
    return this.client.promCompact(beforeMillis);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async write(
    signal: Signal,
    rowCount: number,
    encode: () => TableBatch[],
    series?: SeriesWrite,
    invalidSamples = 0,
  ): Promise<SampleWriteResult> {
    if (invalidSamples > 0) samplesRejected.inc({}, invalidSamples);
    if (rowCount === 0) return { samplesWritten: 0, samplesRejected: 0 };
    const startedMillis = performance.now();
    const batches = [...encode(), ...this.collector.takeBatches()];
    const result = await this.client.write(batches, series);
    writeDuration.observe({ signal }, (performance.now() - startedMillis) / 1000);
    rowsWritten.inc({ signal }, rowCount);
    if (result.samplesRejected > 0) samplesRejected.inc({}, result.samplesRejected);
    const limited = result.samplesRejectedBySeriesLimit ?? 0;
    if (limited > 0) seriesLimitRejections.inc({}, limited);
    return result;
  }
}

async function checkDirectory(path: string): Promise<void> {
  const directory = dirname(path);
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error('not a directory');
    await access(directory, constants.W_OK);
  } catch {
    throw new StoreOpenError(
      `cannot open store ${path}: the data directory is missing or not writable`,
      'not-writable',
    );
  }
}

/** Opens (creating if needed) the DuckDB store file at `options.path`. */
export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<DuckDbStore> {
  await checkDirectory(options.path);
  const client = await WorkerClient.start({
    path: options.path,
    checkpointThreshold: options.checkpointThreshold ?? '256MB',
    threads: options.threads ?? 0,
    seriesLimits: options.seriesLimits ?? DEFAULT_SERIES_LIMITS,
  });
  storeSize.collect(
    {},
    () =>
      fileSizeSync(options.path) +
      fileSizeSync(`${options.path}.wal`) +
      dirSizeSync(sampleWalDir(options.path)),
  );
  return new DuckDbStore(client, options.path);
}

function dirSizeSync(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, name) => sum + fileSizeSync(join(dir, name)), 0);
  } catch {
    return 0;
  }
}

function fileSizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
