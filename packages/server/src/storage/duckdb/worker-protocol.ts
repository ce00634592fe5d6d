import type { TableBatch } from './columnar.ts';
import type { PromRead, SeriesWrite } from './prom/protocol.ts';
import type { SeriesLimits } from '../store.ts';

/** Parameters a query may bind: strings and numbers only (values from requests never go into SQL text). */
export type SqlParam = string | number | boolean | bigint | null;

export interface WorkerOptions {
  path: string;
  /** DuckDB `checkpoint_threshold`: WAL size that triggers an automatic checkpoint. */
  checkpointThreshold: string;
  /** DuckDB `threads` for queries; 0 leaves DuckDB's default (one per core). */
  threads: number;
  seriesLimits: SeriesLimits;
}

export type WorkerRequest =
  /** Replies `value` with one SampleWriteResult for `series` (zeros without). */
  | { type: 'write'; id: number; batches: TableBatch[]; series?: SeriesWrite }
  | { type: 'query'; id: number; sql: string; params: SqlParam[] }
  /** Statements run in order on the writer connection, between write groups. */
  | { type: 'exec'; id: number; statements: { sql: string; params: SqlParam[] }[] }
  /** Replies `value` with the prom/protocol.ts PromReadResult of the read. */
  | { type: 'prom-read'; id: number; read: PromRead }
  /** Retention of Prometheus samples, between write groups; replies `value` with the samples deleted. */
  | { type: 'prom-delete-before'; id: number; cutoffMs: number }
  /** Compacts the head's Prometheus samples older than `beforeMs` into blocks; replies `value` with the samples moved. */
  | { type: 'prom-compact'; id: number; beforeMs: number }
  | { type: 'close'; id: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'open-failed'; reason: OpenFailure }
  | { type: 'done'; id: number; rows: unknown[][] }
  | { type: 'value'; id: number; value: unknown }
  | { type: 'failed'; id: number; message: string };

export type OpenFailure = 'locked' | 'not-writable' | 'other';
