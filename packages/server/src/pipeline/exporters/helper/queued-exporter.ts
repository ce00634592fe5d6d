import { join } from 'node:path';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { OverloadedError, UnavailableError } from '../../errors.ts';
import type { ComponentContext, Consumer, Stoppable } from '../../graph/component.ts';
import type { EncodedRequest, RequestCodec, RequestSender } from '../exporter-helper.ts';
import { DiskQueue } from './disk-queue.ts';
import { DropLog } from './drop-log.ts';
import type { QueuedExporterSettings } from './exporter-helper-settings.ts';
import { exporterMetrics } from './exporter-metrics.ts';
import { MemoryQueue } from './request-queue.ts';
import type { QueuedRequest, RequestQueue } from './request-queue.ts';
import { sendWithRetry } from './retry-sender.ts';
import type { SendOutcome } from './retry-sender.ts';

export {
  DEFAULT_EXPORTER_HELPER_SETTINGS,
  EXPORTER_HELPER_KEYS,
  readExporterHelperSettings,
} from './exporter-helper-settings.ts';
export type { QueuedExporterSettings } from './exporter-helper-settings.ts';

/** How long shutdown waits for the queue to drain when no timeout is configured. */
const DEFAULT_DRAIN_MS = 5_000;
/** What a refusal tells the sender to wait (seconds): a queue drains in seconds, not minutes. */
const RETRY_AFTER_SECONDS = 1;

const SIGNAL_RECORDS: Record<Signal, string> = {
  traces: 'spans',
  metrics: 'data points',
  logs: 'log records',
};

/**
 * The Collector's exporterhelper for one exporter and signal: `consume` encodes the records and
 * puts the requests in the sending queue, resolving at once (or, for an on-disk queue, once they
 * are fsynced); `num_consumers` workers send them with retries. A full queue refuses the whole
 * batch with OverloadedError (HTTP 429 / RESOURCE_EXHAUSTED upstream of us). With the queue
 * disabled, `consume` sends and awaits: retryable failures reject with UnavailableError, permanent
 * ones are dropped and counted, as the Collector drops permanent errors.
 *
 * @example
 * const exporter = createQueuedExporter('traces', codec, createHttpSender({ url, headers: {}, timeoutMs: 30_000 }), settings, context);
 * await exporter.consume(spans); // queued
 * await exporter.shutdown();     // drains for up to the timeout
 */
export function createQueuedExporter<S extends Signal>(
  signal: S,
  codec: RequestCodec<S>,
  send: RequestSender,
  settings: QueuedExporterSettings,
  context: ComponentContext,
): Consumer<S> & Stoppable {
  return new QueuedExporter(signal, codec, send, settings, context);
}

class QueuedExporter<S extends Signal> implements Consumer<S>, Stoppable {
  private readonly labels: { exporter: string; signal: string };
  private readonly queue: RequestQueue | undefined;
  private readonly workers: Promise<void>[] = [];
  private readonly stopRetries = new AbortController();
  private readonly stopAttempts = new AbortController();
  private readonly drops: DropLog;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly signal: S,
    private readonly codec: RequestCodec<S>,
    private readonly send: RequestSender,
    private readonly settings: QueuedExporterSettings,
    private readonly context: ComponentContext,
  ) {
    this.labels = { exporter: context.id, signal };
    this.drops = new DropLog(
      (line) => context.log(line),
      () => context.nowMs(),
    );
    if (!settings.queue.enabled) return;
    this.queue = this.openQueue();
    const queue = this.queue;
    exporterMetrics.queueSize.collect(this.labels, () => queue.size);
    exporterMetrics.queueCapacity.set(this.labels, settings.queue.queueSize);
    for (let i = 0; i < settings.queue.numConsumers; i++) this.workers.push(this.work(queue));
  }

  private openQueue(): RequestQueue {
    const { storageDirectory, queueSize } = this.settings.queue;
    if (storageDirectory === undefined) return new MemoryQueue(queueSize);
    // One directory per exporter and signal, as the Collector names a persistent queue's storage client.
    const directory = join(
      storageDirectory,
      `${this.context.id.replace(/[^A-Za-z0-9_.-]/g, '_')}-${this.signal}`,
    );
    return new DiskQueue(directory, queueSize, (line) => this.context.log(`${this.context.id}: ${line}`));
  }

  async consume(records: SignalBatch[S]): Promise<void> {
    if (records.length === 0) return;
    if (this.stopping !== undefined)
      throw new UnavailableError(`exporter ${this.context.id} is shutting down`, RETRY_AFTER_SECONDS);
    const requests = this.codec.encode(records);
    if (this.queue === undefined) return this.sendNow(requests);
    let accepted: boolean;
    try {
      accepted = await this.queue.offer(requests);
    } catch (error: unknown) {
      this.context.log(`${this.context.id}: sending queue storage failed (${describe(error)})`);
      throw new UnavailableError(
        `sending queue of exporter ${this.context.id} cannot store data`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (!accepted) {
      exporterMetrics.enqueueFailed.inc(this.labels, countItems(requests));
      throw new OverloadedError(`sending queue of exporter ${this.context.id} is full`, RETRY_AFTER_SECONDS);
    }
  }

  /** The queue disabled: send in the caller's time, as exporterhelper does without a queue. */
  private async sendNow(requests: readonly EncodedRequest[]): Promise<void> {
    for (const request of requests) {
      const outcome = await this.deliver(request);
      if (outcome.kind === 'sent' || outcome.kind === 'permanent') continue;
      exporterMetrics.sendFailed.inc(this.labels, request.items);
      throw new UnavailableError(
        `exporter ${this.context.id} could not send: ${outcome.error.message}`,
        Math.max(RETRY_AFTER_SECONDS, Math.ceil((outcome.error.retryAfterMs ?? 0) / 1000)),
      );
    }
  }

  /** One request through retries; counts what was sent and what was dropped for good. */
  private async deliver(request: EncodedRequest): Promise<SendOutcome> {
    const outcome = await sendWithRetry(this.send, request.body, {
      retry: this.settings.retry,
      timeoutMs: this.settings.timeoutMs,
      nowMs: () => this.context.nowMs(),
      stopRetries: this.stopRetries.signal,
      stopAttempts: this.stopAttempts.signal,
    });
    if (outcome.kind === 'sent') exporterMetrics.sent.inc(this.labels, request.items);
    if (outcome.kind === 'permanent') this.drop(request, `permanent error: ${outcome.error.message}`);
    return outcome;
  }

  private drop(request: EncodedRequest, reason: string): void {
    exporterMetrics.sendFailed.inc(this.labels, request.items);
    this.drops.report(
      `${this.context.id}: dropped ${request.items} ${SIGNAL_RECORDS[this.signal]}, ${reason}`,
    );
  }

  private async work(queue: RequestQueue): Promise<void> {
    try {
      for (let request = await queue.take(); request !== undefined; request = await queue.take()) {
        await this.settle(queue, request, await this.deliver(request));
      }
    } catch (error: unknown) {
      this.context.log(`${this.context.id}: sending queue stopped (${describe(error)})`);
    }
  }

  private async settle(queue: RequestQueue, request: QueuedRequest, outcome: SendOutcome): Promise<void> {
    if (outcome.kind === 'exhausted') this.drop(request, `no more retries left: ${outcome.error.message}`);
    if (outcome.kind === 'stopped') {
      // The on-disk queue keeps it for the next start; memory cannot.
      if (queue.persistent) return;
      this.drop(request, `interrupted by shutdown: ${outcome.error.message}`);
    }
    await queue.done(request);
  }

  /** Stops taking data, sends what is queued for up to the timeout, then gives up on the rest. */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    const queue = this.queue;
    if (queue === undefined) return;
    queue.close();
    this.stopRetries.abort();
    const drainMs = this.settings.timeoutMs > 0 ? this.settings.timeoutMs : DEFAULT_DRAIN_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, drainMs);
    });
    await Promise.race([Promise.all(this.workers), deadline]);
    clearTimeout(timer);
    this.stopAttempts.abort();
    const left = queue.takeRemaining();
    await Promise.all(this.workers);
    if (!queue.persistent)
      for (const request of left) this.drop(request, 'the queue was not drained before shutdown');
    else if (left.length > 0)
      this.context.log(`${this.context.id}: ${left.length} requests stay queued on disk`);
    exporterMetrics.queueSize.set(this.labels, 0);
  }
}

function countItems(requests: readonly EncodedRequest[]): number {
  return requests.reduce((sum, request) => sum + request.items, 0);
}

/** An error by class and message; messages from our own code never quote payloads. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
