import type { TableBatch } from './columnar.ts';

/** Parameters a query may bind: strings and numbers only (values from requests never go into SQL text). */
export type SqlParam = string | number | boolean | bigint | null;

export interface WorkerOptions {
  path: string;
  /** DuckDB `checkpoint_threshold`: WAL size that triggers an automatic checkpoint. */
  checkpointThreshold: string;
  /** DuckDB `threads` for queries; 0 leaves DuckDB's default (one per core). */
  threads: number;
}

export type WorkerRequest =
  | { type: 'write'; id: number; batches: TableBatch[] }
  | { type: 'query'; id: number; sql: string; params: SqlParam[] }
  /** Statements run in order on the writer connection, between write groups. */
  | { type: 'exec'; id: number; statements: { sql: string; params: SqlParam[] }[] }
  | { type: 'close'; id: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'open-failed'; reason: OpenFailure }
  | { type: 'done'; id: number; rows: unknown[][] }
  | { type: 'failed'; id: number; message: string };

export type OpenFailure = 'locked' | 'not-writable' | 'other';
