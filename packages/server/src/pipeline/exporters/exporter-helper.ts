import type { Signal, SignalBatch } from '../../model/signal.ts';

/**
 * The contract between an exporter's wire format and the shared sending machinery (the Collector's
 * exporterhelper: `sending_queue`, `retry_on_failure`, `timeout`). An exporter type supplies an
 * encoder and a sender; queued-exporter.ts turns them into a Consumer with a bounded queue (in memory,
 * or on disk when `sending_queue.storage` names a file_storage extension), retries with backoff, and
 * counters. Queue items are encoded request bodies, so the on-disk queue stores exactly what is sent.
 */
export interface RequestCodec<S extends Signal> {
  /**
   * Splits records into request bodies of at most `maxItems` records each (a remote-write or OTLP
   * request); returns the bodies with the number of records in each (for counters).
   */
  encode(records: SignalBatch[S]): EncodedRequest[];
}

export interface EncodedRequest {
  body: Uint8Array;
  /** Spans, metric data points or log records in this request (for sent/failed counters). */
  items: number;
}

/**
 * Sends one encoded request. Rejects with ExportError: `retryable` false drops the request (400,
 * INVALID_ARGUMENT: retrying cannot help); true retries with backoff, honouring `retryAfterMs`
 * (HTTP Retry-After, gRPC RetryInfo) when the backend gives one.
 */
export type RequestSender = (body: Uint8Array, signal: AbortSignal) => Promise<void>;

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
