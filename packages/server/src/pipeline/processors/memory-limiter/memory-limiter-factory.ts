import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { SIGNALS } from '../../../model/signal.ts';
import { ingestMetrics, selfMetrics } from '../../../telemetry/self-metrics.ts';
import { OverloadedError } from '../../errors.ts';
import type {
  Cancel,
  ComponentContext,
  Consumer,
  ProcessorFactory,
  ProcessorInstance,
} from '../../graph/component.ts';
import { MemoryLimiter, type MemoryReaders } from './memory-limiter.ts';
import { parseMemoryLimiterSettings, resolveThresholds } from './memory-limiter-settings.ts';
import { readRssBytes, readTotalMemoryBytes, runExposedGc } from './process-memory.ts';

/** Records refused because memory was above the soft limit, by signal. */
export const memoryLimiterRefused = selfMetrics.counter(
  'vigil_memory_limiter_refused_total',
  'Spans, metric data points or log records the memory_limiter processor refused (answered 429 / RESOURCE_EXHAUSTED), by signal.',
);

/** The message of the OverloadedError a refusal throws; receivers pass it to the client. */
export const REFUSAL_MESSAGE = 'memory usage is above the soft limit';

interface SharedLimiter {
  limiter: MemoryLimiter;
  retryAfterSeconds: number;
  pipelines: number;
  stopChecks: Cancel;
}

/**
 * Builds the `memory_limiter` processor type over the given memory readers (tests inject numbers;
 * `memoryLimiterFactory` uses the process's RSS). Every pipeline that names the same processor id
 * shares one limiter and one check timer, as the Collector shares one memory limiter per component
 * id; the timer stops when the last of those pipelines shuts down.
 *
 * @example
 * const factory = createMemoryLimiterFactory({ readMemoryBytes: () => usedBytes, totalMemoryBytes: () => 8 * 2 ** 30 });
 * const processor = factory.create('traces', { check_interval: '1s', limit_mib: 512 }, next, context);
 */
export function createMemoryLimiterFactory(readers: MemoryReaders): ProcessorFactory {
  const limiters = new Map<string, SharedLimiter>();

  const acquire = (settingsValue: unknown, context: ComponentContext): [SharedLimiter, () => void] => {
    const settings = parseMemoryLimiterSettings(settingsValue);
    // Keyed by id and settings: pipelines of one config share; a reloaded config with new limits
    // gets its own limiter instead of silently keeping the old numbers.
    const key = `${context.id}\u0000${JSON.stringify(settings)}`;
    let shared = limiters.get(key);
    if (shared === undefined) {
      const thresholds = resolveThresholds(settings.limit, () => readers.totalMemoryBytes());
      const limiter = new MemoryLimiter(
        settings,
        thresholds,
        readers,
        (line) => context.log(line),
        context.nowMs(),
      );
      shared = {
        limiter,
        // The answer cannot change before the next check, so a client need not retry sooner.
        retryAfterSeconds: Math.max(1, Math.ceil(settings.checkIntervalMs / 1000)),
        pipelines: 0,
        stopChecks: context.scheduler.every(settings.checkIntervalMs, (nowMs) =>
          limiter.checkMemoryLimits(nowMs),
        ),
      };
      limiters.set(key, shared);
    }
    shared.pipelines += 1;
    const entry = shared;
    const release = (): void => {
      entry.pipelines -= 1;
      if (entry.pipelines > 0) return;
      entry.stopChecks();
      limiters.delete(key);
    };
    return [entry, release];
  };

  return {
    type: 'memory_limiter',
    signals: SIGNALS,
    create<S extends Signal>(
      signal: S,
      settings: unknown,
      next: Consumer<S>,
      context: ComponentContext,
    ): ProcessorInstance<S> {
      const [shared, release] = acquire(settings, context);
      return new MemoryLimiterProcessor(signal, shared, next, release);
    },
  };
}

/**
 * The `memory_limiter` processor over the process's real memory: RSS (which covers the embedded
 * DuckDB, see process-memory.ts) against limits in MiB or in percent of the machine's or the
 * cgroup's memory.
 */
export const memoryLimiterFactory: ProcessorFactory = createMemoryLimiterFactory({
  readMemoryBytes: readRssBytes,
  totalMemoryBytes: () => readTotalMemoryBytes(),
  runGc: runExposedGc,
});

/**
 * One pipeline's view of a shared limiter. It refuses before anything is kept, so a refused request
 * loses nothing (the client retries it); what it accepts it hands on unchanged and never drops.
 */
class MemoryLimiterProcessor<S extends Signal> implements ProcessorInstance<S> {
  private released = false;

  constructor(
    private readonly signal: S,
    private readonly shared: SharedLimiter,
    private readonly next: Consumer<S>,
    private readonly release: () => void,
  ) {}

  consume(records: SignalBatch[S]): Promise<void> {
    if (!this.shared.limiter.mustRefuse) return this.next.consume(records);
    memoryLimiterRefused.inc({ signal: this.signal }, records.length);
    ingestMetrics.rejected.inc({ signal: this.signal, reason: 'memory_limiter' }, records.length);
    return Promise.reject(new OverloadedError(REFUSAL_MESSAGE, this.shared.retryAfterSeconds));
  }

  shutdown(): Promise<void> {
    if (!this.released) {
      this.released = true;
      this.release();
    }
    return Promise.resolve();
  }
}
