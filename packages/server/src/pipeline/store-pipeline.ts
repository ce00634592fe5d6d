import type { Signal, SignalBatch } from '../model/signal.ts';
import type { Store } from '../storage/store.ts';
import { ingestMetrics, selfMetrics } from '../telemetry/self-metrics.ts';
import { OverloadedError, UnavailableError } from './errors.ts';
import type { Pipeline } from './pipeline.ts';

export interface StorePipelineOptions {
  /** Records accepted but not yet durable, across signals, before new requests get 429. */
  maxPendingRecords: number;
  retryAfterSeconds: number;
}

const queueDepth = selfMetrics.gauge(
  'vigil_pipeline_queue_records',
  'Records waiting to be stored, by signal.',
);

/**
 * The simplest pipeline: records go straight to the store. Admission control happens here, before
 * anything is written, so a 429 never leaves part of a request behind.
 */
export class StorePipeline implements Pipeline {
  private readonly pending: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: StorePipelineOptions,
  ) {
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      queueDepth.collect({ signal }, () => this.pending[signal]);
    }
  }

  async consume<S extends Signal>(signal: S, records: SignalBatch[S]): Promise<void> {
    if (this.closed) throw new UnavailableError('Vigil is shutting down', this.options.retryAfterSeconds);
    if (records.length === 0) return;
    if (this.pendingTotal() + records.length > this.options.maxPendingRecords && this.pendingTotal() > 0) {
      ingestMetrics.rejected.inc({ signal, reason: 'queue_full' }, records.length);
      throw new OverloadedError('ingest queue is full', this.options.retryAfterSeconds);
    }
    this.pending[signal] += records.length;
    try {
      await this.write(signal, records);
    } catch (error: unknown) {
      ingestMetrics.rejected.inc({ signal, reason: 'store_error' }, records.length);
      throw new UnavailableError(`store write failed: ${errorName(error)}`, this.options.retryAfterSeconds);
    } finally {
      this.pending[signal] -= records.length;
    }
  }

  /** Refuse new data; in-flight writes still complete. */
  close(): void {
    this.closed = true;
  }

  private pendingTotal(): number {
    return this.pending.traces + this.pending.metrics + this.pending.logs;
  }

  private write<S extends Signal>(signal: S, records: SignalBatch[S]): Promise<void> {
    const batch = records;
    switch (signal) {
      case 'traces':
        return this.store.writeSpans(batch as SignalBatch['traces']);
      case 'metrics':
        return this.store.writeMetricPoints(batch as SignalBatch['metrics']);
      default:
        return this.store.writeLogs(batch as SignalBatch['logs']);
    }
  }
}

/** Error class name only: store errors may quote payload contents, which must not reach clients. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
