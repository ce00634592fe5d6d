import { Worker } from 'node:worker_threads';
import type { TableBatch } from './columnar.ts';
import { transferList } from './columnar.ts';
import type { OpenFailure, SqlParam, WorkerOptions, WorkerReply, WorkerRequest } from './worker-protocol.ts';

type Pending = { resolve: (rows: unknown[][]) => void; reject: (error: Error) => void };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

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
    const worker = new Worker(new URL('./duckdb-worker-entry.mjs', import.meta.url), { workerData: options });
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

  write(batches: TableBatch[]): Promise<unknown[][]> {
    return this.send({ type: 'write', batches }, transferList(batches));
  }

  query(sql: string, params: SqlParam[] = []): Promise<unknown[][]> {
    return this.send({ type: 'query', sql, params });
  }

  exec(statements: { sql: string; params?: SqlParam[] }[]): Promise<unknown[][]> {
    return this.send({
      type: 'exec',
      statements: statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })),
    });
  }

  async close(): Promise<void> {
    if (this.exitError) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    await this.send({ type: 'close' });
    await exited;
  }

  private send(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown[][]> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(message: WorkerReply): void {
    if (message.type !== 'done' && message.type !== 'failed') return;
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.type === 'done') pending?.resolve(message.rows);
    else pending?.reject(new Error(`DuckDB: ${message.message}`));
  }

  private fail(error: Error): void {
    this.exitError ??= error;
    for (const pending of this.pending.values()) pending.reject(this.exitError);
    this.pending.clear();
  }
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
