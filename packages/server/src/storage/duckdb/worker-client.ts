import { Worker } from 'node:worker_threads';
import type { SampleWriteResult } from '../store.ts';
import type { TableBatch } from './columnar.ts';
import { transferList } from './columnar.ts';
import type { PromRead, SeriesWrite } from './prom/protocol.ts';
import type { OpenFailure, SqlParam, WorkerOptions, WorkerReply, WorkerRequest } from './worker-protocol.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The store worker's young generation. V8 sizes it up to ~48 MiB; the worker's garbage is mostly
 * short-lived per-write objects, and remote write at 10k series measured 12.0–12.9 KB RSS per
 * series with 6 MiB against 16.8–17.7 KB with V8's size, at equal or better throughput
 * (649–699k vs 509–617k samples/s, alternating runs; docs/adr/0003-prometheus-series.md). OTLP
 * trace ingest with tail sampling was unchanged (95–114k vs 94–99k spans/s) at ~100 MiB less peak RSS.
 */
const WORKER_YOUNG_GENERATION_MB = 6;

/** Raised when the store file cannot be opened; `reason` says why without the file's contents. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    message: string,
    readonly reason: OpenFailure,
  ) {
    super(message);
  }
}

/** Message RPC to the worker thread that owns the DuckDB file (duckdb-worker.ts). */
export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitError: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerReply) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => this.fail(new Error('the DuckDB worker thread exited')));
  }

  /** Starts the worker; under `node --import tsx` it inherits execArgv and loads the .ts source. */
  static async start(options: WorkerOptions): Promise<WorkerClient> {
    const worker = new Worker(new URL('./duckdb-worker-entry.mjs', import.meta.url), {
      workerData: options,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const reason = await new Promise<OpenFailure | null>((resolve, reject) => {
      worker.once('message', (message: WorkerReply) => {
        resolve(message.type === 'open-failed' ? message.reason : null);
      });
      worker.once('error', reject);
    });
    if (reason === null) return new WorkerClient(worker);
    await worker.terminate();
    throw new StoreOpenError(openFailureMessage(reason, options.path), reason);
  }

  /** Commits the batches and Prometheus samples together; resolves once durable. */
  async write(batches: TableBatch[], series?: SeriesWrite): Promise<SampleWriteResult> {
    const transfer = transferList(batches);
    if (series) transfer.push(...seriesTransferList(series));
    return (await this.send(
      series ? { type: 'write', batches, series } : { type: 'write', batches },
      transfer,
    )) as SampleWriteResult;
  }

  async query(sql: string, params: SqlParam[] = []): Promise<unknown[][]> {
    return (await this.send({ type: 'query', sql, params })) as unknown[][];
  }

  async exec(statements: { sql: string; params?: SqlParam[] }[]): Promise<unknown[][]> {
    const request = {
      type: 'exec' as const,
      statements: statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })),
    };
    return (await this.send(request)) as unknown[][];
  }

  /** A read of the worker's Prometheus series state; the result's shape depends on `read.op`. */
  promRead(read: PromRead): Promise<unknown> {
    return this.send({ type: 'prom-read', read });
  }

  /** Compacts Prometheus sample rows older than `beforeMs` into chunk rows; resolves with the samples moved. */
  async promCompact(beforeMs: number): Promise<number> {
    return Number(await this.send({ type: 'prom-compact', beforeMs }));
  }

  /** Deletes Prometheus samples before `cutoffMs` (and emptied series); resolves with the count. */
  async promDeleteBefore(cutoffMs: number): Promise<number> {
    return Number(await this.send({ type: 'prom-delete-before', cutoffMs }));
  }

  async close(): Promise<void> {
    if (this.exitError) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    await this.send({ type: 'close' });
    await exited;
  }

  private send(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(message: WorkerReply): void {
    if (message.type !== 'done' && message.type !== 'value' && message.type !== 'failed') return;
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.type === 'done') pending?.resolve(message.rows);
    else if (message.type === 'value') pending?.resolve(message.value);
    else pending?.reject(new Error(`DuckDB: ${message.message}`));
  }

  private fail(error: Error): void {
    this.exitError ??= error;
    for (const pending of this.pending.values()) pending.reject(this.exitError);
    this.pending.clear();
  }
}

function seriesTransferList(series: SeriesWrite): ArrayBuffer[] {
  const views = [
    series.labelOffsets,
    series.labelCodes,
    series.sampleOffsets,
    series.timestampsMs,
    series.values,
    series.wireIds,
  ];
  return [...new Set(views.map((view) => view.buffer))].filter((buffer) => buffer instanceof ArrayBuffer);
}

function openFailureMessage(reason: OpenFailure, path: string): string {
  switch (reason) {
    case 'locked':
      return `cannot open store ${path}: the data directory is in use by another Vigil process`;
    case 'not-writable':
      return `cannot open store ${path}: the data directory is not writable`;
    case 'other':
      return `cannot open store ${path}: DuckDB refused to open the file`;
  }
}
