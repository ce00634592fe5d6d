import { statSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogRecord } from '../../model/log-record.ts';
import type { MetricPoint } from '../../model/metric-point.ts';
import type { Signal } from '../../model/signal.ts';
import type { Span } from '../../model/span.ts';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import type {
  AttributeScope,
  DependencyEdge,
  LogQuery,
  MetricPointQuery,
  Operation,
  RetentionPolicy,
  RetentionResult,
  Store,
  StoreStats,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../store.ts';
import type { TableBatch } from './columnar.ts';
import { DimensionCache } from './dimension-decoder.ts';
import { DimensionCollector } from './dimension-encoder.ts';
import { encodeLogs } from './log-encoder.ts';
import { searchLogs } from './log-queries.ts';
import { encodeMetricPoints } from './metric-encoder.ts';
import { readMetricPoints } from './metric-queries.ts';
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
const storeSize = selfMetrics.gauge('vigil_store_size_bytes', 'Store size on disk (database file plus WAL).');

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
  private readonly collector = new DimensionCollector();

  constructor(
    private readonly client: WorkerClient,
    readonly path: string,
  ) {
    const run = (sql: string, params: Parameters<WorkerClient['query']>[1] = []): Promise<unknown[][]> =>
      client.query(sql, params);
    this.dimensions = new DimensionCache(run);
    this.traces = new TraceQueries(run, this.dimensions);
  }

  writeSpans(spans: Span[]): Promise<void> {
    return this.write('traces', spans.length, () => encodeSpans(spans, this.collector));
  }

  writeMetricPoints(points: MetricPoint[]): Promise<void> {
    return this.write('metrics', points.length, () => encodeMetricPoints(points, this.collector));
  }

  writeLogs(logs: LogRecord[]): Promise<void> {
    return this.write('logs', logs.length, () => encodeLogs(logs, this.collector));
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

  close(): Promise<void> {
    return this.client.close();
  }

  private async write(signal: Signal, rowCount: number, encode: () => TableBatch[]): Promise<void> {
    if (rowCount === 0) return;
    const startedMillis = performance.now();
    const batches = [...encode(), ...this.collector.takeBatches()];
    await this.client.write(batches);
    writeDuration.observe({ signal }, (performance.now() - startedMillis) / 1000);
    rowsWritten.inc({ signal }, rowCount);
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
  });
  storeSize.collect({}, () => fileSizeSync(options.path) + fileSizeSync(`${options.path}.wal`));
  return new DuckDbStore(client, options.path);
}

function fileSizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
