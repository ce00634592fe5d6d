import { SettingsError } from '../../graph/component.ts';
import type { ComponentContext } from '../../graph/component.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';

/** What the shared sending machinery needs: the Collector's exporterhelper settings, parsed. */
export interface QueuedExporterSettings {
  /** Per-attempt deadline; 0 means none (exporterhelper TimeoutConfig). */
  timeoutMs: number;
  queue: {
    enabled: boolean;
    numConsumers: number;
    /** Capacity in requests. */
    queueSize: number;
    /** Set → on-disk queue in this directory (a file_storage extension's directory). */
    storageDirectory?: string;
  };
  retry: {
    enabled: boolean;
    initialIntervalMs: number;
    randomizationFactor: number;
    multiplier: number;
    maxIntervalMs: number;
    /** 0 means retry forever (cenkalti/backoff's MaxElapsedTime = 0). */
    maxElapsedMs: number;
  };
}

/** The keys readExporterHelperSettings reads, for the caller's allowOnly list. */
export const EXPORTER_HELPER_KEYS: readonly string[] = ['timeout', 'sending_queue', 'retry_on_failure'];

/**
 * The Collector's defaults: exporterhelper NewDefaultTimeoutConfig (5s), NewDefaultQueueConfig
 * (enabled, 10 consumers, 1000 requests) and configretry.NewDefaultBackOffConfig (5s initial,
 * ±50% jitter, ×1.5, at most 30s apart, give up after 5m).
 */
export const DEFAULT_EXPORTER_HELPER_SETTINGS: QueuedExporterSettings = {
  timeoutMs: 5_000,
  queue: { enabled: true, numConsumers: 10, queueSize: 1_000 },
  retry: {
    enabled: true,
    initialIntervalMs: 5_000,
    randomizationFactor: 0.5,
    multiplier: 1.5,
    maxIntervalMs: 30_000,
    maxElapsedMs: 300_000,
  },
};

/**
 * Reads `timeout`, `sending_queue` (enabled, num_consumers, queue_size, storage) and
 * `retry_on_failure` with the Collector's defaults (overridable per exporter type, e.g. otlphttp's
 * 30s timeout) and the Collector's validation messages.
 *
 * @example
 * const s = SettingsReader.of(settings);
 * s.allowOnly(['endpoint', ...EXPORTER_HELPER_KEYS]);
 * const helper = readExporterHelperSettings(s, context, { timeoutMs: 30_000 });
 */
export function readExporterHelperSettings(
  settings: SettingsReader,
  context: ComponentContext,
  defaults: Partial<QueuedExporterSettings> = {},
): QueuedExporterSettings {
  const base = { ...DEFAULT_EXPORTER_HELPER_SETTINGS, ...defaults };
  const timeoutMs = settings.durationMs('timeout', base.timeoutMs);
  if (timeoutMs < 0) throw settings.error("'timeout' must be non-negative", 'timeout');
  return {
    timeoutMs,
    queue: readQueue(settings.child('sending_queue'), context, base.queue),
    retry: readRetry(settings.child('retry_on_failure'), base.retry),
  };
}

/** exporterhelper QueueConfig.Validate: both numbers must be positive when the queue is on. */
function readQueue(
  s: SettingsReader | undefined,
  context: ComponentContext,
  defaults: QueuedExporterSettings['queue'],
): QueuedExporterSettings['queue'] {
  if (s === undefined) return { ...defaults };
  s.allowOnly(['enabled', 'num_consumers', 'queue_size', 'storage']);
  const queue: QueuedExporterSettings['queue'] = {
    enabled: s.boolean('enabled', defaults.enabled),
    numConsumers: s.number('num_consumers', defaults.numConsumers),
    queueSize: s.number('queue_size', defaults.queueSize),
  };
  if (!queue.enabled) return queue;
  if (!Number.isInteger(queue.queueSize) || queue.queueSize <= 0)
    throw s.error('`queue_size` must be positive', 'queue_size');
  if (!Number.isInteger(queue.numConsumers) || queue.numConsumers <= 0)
    throw s.error('`num_consumers` must be positive', 'num_consumers');
  const storage = s.string('storage', '');
  if (storage !== '') queue.storageDirectory = storageDirectory(s, context, storage);
  return queue;
}

function storageDirectory(s: SettingsReader, context: ComponentContext, extensionId: string): string {
  try {
    return context.storageDirectory(extensionId);
  } catch (error: unknown) {
    if (error instanceof SettingsError) throw s.error(error.message, 'storage');
    throw error;
  }
}

/** configretry BackOffConfig.Validate. */
function readRetry(
  s: SettingsReader | undefined,
  defaults: QueuedExporterSettings['retry'],
): QueuedExporterSettings['retry'] {
  if (s === undefined) return { ...defaults };
  s.allowOnly([
    'enabled',
    'initial_interval',
    'randomization_factor',
    'multiplier',
    'max_interval',
    'max_elapsed_time',
  ]);
  const retry = {
    enabled: s.boolean('enabled', defaults.enabled),
    initialIntervalMs: s.durationMs('initial_interval', defaults.initialIntervalMs),
    randomizationFactor: s.number('randomization_factor', defaults.randomizationFactor),
    multiplier: s.number('multiplier', defaults.multiplier),
    maxIntervalMs: s.durationMs('max_interval', defaults.maxIntervalMs),
    maxElapsedMs: s.durationMs('max_elapsed_time', defaults.maxElapsedMs),
  };
  if (!retry.enabled) return retry;
  if (retry.initialIntervalMs < 0)
    throw s.error("'initial_interval' must be non-negative", 'initial_interval');
  if (retry.randomizationFactor < 0 || retry.randomizationFactor > 1)
    throw s.error("'randomization_factor' must be within [0, 1]", 'randomization_factor');
  if (retry.multiplier < 0) throw s.error("'multiplier' must be positive", 'multiplier');
  if (retry.maxIntervalMs < 0) throw s.error("'max_interval' must be non-negative", 'max_interval');
  if (retry.maxElapsedMs < 0) throw s.error("'max_elapsed_time' must be non-negative", 'max_elapsed_time');
  if (retry.maxElapsedMs > 0 && retry.maxElapsedMs < retry.initialIntervalMs)
    throw s.error("'max_elapsed_time' must not be less than 'initial_interval'", 'max_elapsed_time');
  if (retry.maxElapsedMs > 0 && retry.maxElapsedMs < retry.maxIntervalMs)
    throw s.error("'max_elapsed_time' must not be less than 'max_interval'", 'max_elapsed_time');
  return retry;
}
