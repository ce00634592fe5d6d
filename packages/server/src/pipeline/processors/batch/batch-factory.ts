import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { SIGNALS } from '../../../model/signal.ts';
import { selfMetrics } from '../../../telemetry/self-metrics.ts';
import type {
  ComponentContext,
  Consumer,
  ProcessorFactory,
  ProcessorInstance,
} from '../../graph/component.ts';
import { parseBatchSettings } from './batch-settings.ts';
import { Batcher } from './batcher.ts';

/** Counterparts of the Collector's otelcol_processor_batch_{batch_size,timeout}_trigger_send and batch_send_size. */
export const batchMetrics = {
  sends: selfMetrics.counter(
    'vigil_batch_sends_total',
    'Batches the batch processor sent downstream, by signal and trigger (size, timeout, flush, shutdown).',
  ),
  sendSize: selfMetrics.histogram(
    'vigil_batch_send_size',
    'Records (spans, metric data points, log records) per batch sent by the batch processor, by signal.',
    [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 4000, 8192, 16384, 50000, 100000],
  ),
};

/** A batch processor instance; `flush` sends what is pending now (tests, and graph reloads). */
export interface BatchProcessor<S extends Signal> extends ProcessorInstance<S> {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Creates one pipeline's batch processor (the Collector keeps one batcher per pipeline, too). The
 * timer ticks every quarter of `timeout`, so a record waits at most 1.25 × timeout; nothing ticks
 * when the timeout is 0, since every request is then sent at once.
 *
 * @example
 * const batch = createBatchProcessor('traces', { send_batch_size: 512, timeout: '1s' }, next, context);
 * await batch.consume(spans); // resolves once `next` accepted the batch holding these spans
 */
export function createBatchProcessor<S extends Signal>(
  signal: S,
  settingsValue: unknown,
  next: Consumer<S>,
  context: ComponentContext,
): BatchProcessor<S> {
  const settings = parseBatchSettings(settingsValue);
  const batcher = new Batcher<SignalBatch[S][number]>(
    settings,
    // A batch of one signal's records is that signal's batch; TypeScript cannot see it through S.
    (records) => next.consume(records as SignalBatch[S]),
    () => context.nowMs(),
    (trigger, size) => {
      batchMetrics.sends.inc({ signal, trigger });
      batchMetrics.sendSize.observe({ signal }, size);
    },
  );
  const stopTimer =
    settings.timeoutMs > 0
      ? context.scheduler.every(Math.max(1, Math.floor(settings.timeoutMs / 4)), (nowMs) =>
          batcher.sendDue(nowMs),
        )
      : () => {};
  return {
    consume: (records) => batcher.add(records),
    flush: () => batcher.flush(),
    shutdown: async () => {
      stopTimer();
      await batcher.close();
    },
  };
}

/**
 * The `batch` processor type for traces, metrics and logs. Records are counted one per span, metric
 * data point or log record, as upstream counts spans, data points and log records.
 */
export const batchFactory: ProcessorFactory = {
  type: 'batch',
  signals: SIGNALS,
  create: createBatchProcessor,
};
