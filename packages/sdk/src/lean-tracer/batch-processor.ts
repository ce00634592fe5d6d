/**
 * A batching span processor: ended spans wait in a bounded queue and go to the SpanExporter in
 * batches — when `maxExportBatchSize` spans are waiting (on the next turn of the event loop, not
 * on the caller's stack), and `scheduledDelayMillis` after the first span that found no export
 * scheduled. One export is in flight at a time. The same knobs and defaults as the OTel SDK's
 * BatchSpanProcessor (trace SDK spec, "Batching processor").
 *
 * Never throws to instrumented code: a full queue drops the span and counts it (`droppedSpans`),
 * and export failures of scheduled exports are reported through OTel diag. forceFlush() rejects
 * when an export it waited on failed, so a caller who asks can tell.
 */
import { context, diag } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { EndedSpanSink } from './lean-span.ts';

export interface LeanBatchOptions {
  /** Default 2048. */
  maxQueueSize?: number;
  /** Default 512 (at most maxQueueSize). */
  maxExportBatchSize?: number;
  /** Default 5000. */
  scheduledDelayMillis?: number;
  /** Default 30000: an export that has not called back by then counts as failed. */
  exportTimeoutMillis?: number;
}

export class LeanBatchProcessor implements EndedSpanSink {
  readonly #exporter: SpanExporter;
  readonly #maxQueueSize: number;
  readonly #maxBatch: number;
  readonly #delayMillis: number;
  readonly #timeoutMillis: number;
  #queue: ReadableSpan[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sizeExportPending = false;
  /** The tail of the export chain: exports run one at a time, in order. */
  #tail: Promise<void> = Promise.resolve();
  /** Batches whose export failed, ever: forceFlush() compares it before and after its wait. */
  #failedExports = 0;
  #droppedSpans = 0;
  #reportedDrops = 0;
  #shutDown = false;

  constructor(exporter: SpanExporter, options: LeanBatchOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueueSize = Math.max(1, options.maxQueueSize ?? 2048);
    this.#maxBatch = Math.min(this.#maxQueueSize, Math.max(1, options.maxExportBatchSize ?? 512));
    this.#delayMillis = options.scheduledDelayMillis ?? 5000;
    this.#timeoutMillis = options.exportTimeoutMillis ?? 30_000;
  }

  /** Spans dropped because the queue was full, since start. */
  get droppedSpans(): number {
    return this.#droppedSpans;
  }

  onEnd(span: ReadableSpan): void {
    if (this.#shutDown) return;
    if (this.#queue.length >= this.#maxQueueSize) {
      this.#droppedSpans++;
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#maxBatch) this.#scheduleSizeExport();
    else if (this.#timer === undefined) this.#scheduleTimerExport();
  }

  /** Exports everything queued, after any export in flight; rejects if one of those exports failed. */
  async forceFlush(): Promise<void> {
    this.#clearTimer();
    const failedBefore = this.#failedExports;
    await this.#exportQueued(true);
    // A drain queued earlier but started late (a slow export ahead of it) may have exported the
    // spans this flush was for: its failure is one this flush waited on.
    if (this.#failedExports > failedBefore) throw new Error('span export failed');
    await this.#exporter.forceFlush?.();
  }

  /** Stops accepting spans, exports the queue, shuts the exporter down; never rejects. */
  async shutdown(): Promise<void> {
    if (this.#shutDown) return;
    this.#shutDown = true;
    this.#clearTimer();
    await this.#exportQueued(true).catch(reportFailure);
    await Promise.resolve()
      .then(() => this.#exporter.shutdown())
      .catch(reportFailure);
  }

  #scheduleSizeExport(): void {
    if (this.#sizeExportPending) return;
    this.#sizeExportPending = true;
    setImmediate(() => {
      this.#sizeExportPending = false;
      this.#exportQueued(false).catch(reportFailure);
    });
  }

  #scheduleTimerExport(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#exportQueued(true).catch(reportFailure);
    }, this.#delayMillis);
    // A pending export must not keep the process alive; shutdown() drains explicitly.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Queues a drain on the export chain: every batch (`all`) or only full batches. */
  #exportQueued(all: boolean): Promise<void> {
    const drain = async (): Promise<void> => {
      let firstError: unknown;
      // Only the spans queued when this drain starts: an earlier drain still running must not take
      // spans a later forceFlush() is about to export, or their failure would never reach it.
      let remaining = all ? this.#queue.length : this.#queue.length - (this.#queue.length % this.#maxBatch);
      while (remaining > 0) {
        const batch = this.#queue.splice(0, Math.min(this.#maxBatch, remaining));
        if (batch.length === 0) break;
        remaining -= batch.length;
        await this.#exportBatch(batch).catch((error: unknown) => {
          this.#failedExports++;
          firstError ??= error;
        });
      }
      this.#reportDrops();
      if (firstError !== undefined)
        throw firstError instanceof Error ? firstError : new Error('span export failed');
    };
    const run = this.#tail.then(drain);
    this.#tail = run.catch(() => {});
    return run;
  }

  #exportBatch(batch: ReadableSpan[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('span export timed out')), this.#timeoutMillis);
      // The exporter's own HTTP/gRPC calls must not be traced (OTel core suppressTracing).
      context.with(suppressTracing(context.active()), () => {
        try {
          this.#exporter.export(batch, (result) => {
            clearTimeout(timer);
            if (result.code === ExportResultCode.SUCCESS) resolve();
            else reject(result.error ?? new Error('span export failed'));
          });
        } catch (error) {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error('span export threw'));
        }
      });
    });
  }

  #reportDrops(): void {
    const newDrops = this.#droppedSpans - this.#reportedDrops;
    if (newDrops === 0) return;
    this.#reportedDrops = this.#droppedSpans;
    diag.warn(`Vigil lean tracer: dropped ${newDrops} spans, the export queue was full`);
  }
}

function reportFailure(error: unknown): void {
  diag.error('Vigil lean tracer: span export failed', error instanceof Error ? error.message : typeof error);
}
