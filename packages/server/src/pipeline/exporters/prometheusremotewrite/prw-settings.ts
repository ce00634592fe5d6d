/**
 * Settings of the `prometheusremotewrite` exporter, with the Collector's keys, defaults and
 * validation words (contrib exporter/prometheusremotewriteexporter config.go Validate, factory.go
 * createDefaultConfig).
 */
import type { ComponentContext } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { promLabelName } from '../../../model/prom-naming.ts';
import { readExporterHelperSettings, type QueuedExporterSettings } from '../helper/queued-exporter.ts';
import {
  HTTP_CLIENT_KEYS,
  readHttpClientSettings,
  readStringMap,
  type HttpClientSettings,
} from '../helper/http-client-settings.ts';
import type { PrwTranslateOptions } from './prw-translate.ts';

export interface PrwSettings {
  http: HttpClientSettings;
  translate: PrwTranslateOptions;
  /** Send the families' metadata (HELP, TYPE, unit) in requests of their own. */
  sendMetadata: boolean;
  /** Requests are split so none is larger than this (before snappy). */
  maxBatchSizeBytes: number;
  sending: QueuedExporterSettings;
}

const KEYS: readonly string[] = [
  ...HTTP_CLIENT_KEYS,
  'timeout',
  'retry_on_failure',
  'namespace',
  'external_labels',
  'resource_to_telemetry_conversion',
  'target_info',
  'export_created_metric',
  'add_metric_suffixes',
  'send_metadata',
  'max_batch_size_bytes',
  'remote_write_queue',
  'protobuf_message',
  // confighttp buffer tuning: accepted as the Collector accepts them; Node's fetch sizes its own buffers.
  'read_buffer_size',
  'write_buffer_size',
];

/** exporterhelper defaults as this exporter's factory overrides them (timeout 5s, fast retries). */
const HELPER_DEFAULTS: Partial<QueuedExporterSettings> = {
  timeoutMs: 5_000,
  retry: {
    enabled: true,
    initialIntervalMs: 50,
    randomizationFactor: 0.5,
    multiplier: 1.5,
    maxIntervalMs: 200,
    maxElapsedMs: 60_000,
  },
};

/** A `{enabled: bool}` block; absent reads as `fallback`. */
function enabled(settings: SettingsReader, key: string, fallback: boolean): boolean {
  const block = settings.child(key);
  if (!block) return fallback;
  block.allowOnly(['enabled']);
  return block.boolean('enabled', fallback);
}

function readExternalLabels(settings: SettingsReader): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [name, value] of readStringMap(settings, 'external_labels')) {
    if (name === '' || value === '')
      throw settings.error(
        'prometheus remote write: external labels configuration contains an empty key or value',
        'external_labels',
      );
    // Names are sanitised like attribute names; `__`-prefixed names are kept (upstream allows them).
    labels.set(promLabelName(name), value);
  }
  return labels;
}

/**
 * `remote_write_queue` mapped onto the sending queue. The queue has one consumer whatever
 * `num_consumers` says: samples of a series must reach Prometheus in time order, which parallel
 * consumers would break ("out of order sample"), so upstream pins NumConsumers to 1 as well.
 */
function readQueue(settings: SettingsReader): QueuedExporterSettings['queue'] {
  const queue =
    settings.child('remote_write_queue') ?? SettingsReader.of({}, settings.at('remote_write_queue'));
  queue.allowOnly(['enabled', 'queue_size', 'num_consumers']);
  const queueSize = queue.number('queue_size', 10_000);
  const isEnabled = queue.boolean('enabled', true);
  if (queueSize < 0) throw queue.error("remote write queue size can't be negative", 'queue_size');
  if (isEnabled && queueSize === 0) throw queue.error('a 0 size queue will drop all the data', 'queue_size');
  if (queue.number('num_consumers', 5) < 0)
    throw queue.error("remote write consumer number can't be negative", 'num_consumers');
  return { enabled: isEnabled, numConsumers: 1, queueSize: Math.floor(queueSize) };
}

function checkUnsupported(settings: SettingsReader): void {
  if (!settings.boolean('add_metric_suffixes', true))
    throw settings.error(
      "add_metric_suffixes: false is not supported: Vigil translates names with Prometheus's default UnderscoreEscapingWithSuffixes",
      'add_metric_suffixes',
    );
  const message = settings.string('protobuf_message', 'prometheus.WriteRequest');
  if (message !== 'prometheus.WriteRequest')
    throw settings.error(
      'only protobuf_message "prometheus.WriteRequest" (remote write 1.0) is supported',
      'protobuf_message',
    );
}

/**
 * Parses the exporter's settings.
 *
 * @example
 * const settings = readPrwSettings({ endpoint: 'http://prometheus:9090/api/v1/write' }, context);
 */
export function readPrwSettings(raw: unknown, context: ComponentContext): PrwSettings {
  const settings = SettingsReader.of(raw);
  settings.allowOnly(KEYS);
  const http = readHttpClientSettings(settings);
  checkUnsupported(settings);
  settings.sizeBytes('read_buffer_size', 0);
  settings.sizeBytes('write_buffer_size', 512 * 1024);
  const maxBatchSizeBytes = settings.number('max_batch_size_bytes', 3_000_000);
  if (maxBatchSizeBytes < 0)
    throw settings.error('max_batch_byte_size must be greater than 0', 'max_batch_size_bytes');
  const translate: PrwTranslateOptions = {
    namespace: settings.string('namespace', ''),
    externalLabels: readExternalLabels(settings),
    resourceToTelemetry: enabled(settings, 'resource_to_telemetry_conversion', false),
    targetInfo: enabled(settings, 'target_info', true),
    exportCreatedMetric: enabled(settings, 'export_created_metric', false),
  };
  const sending = {
    ...readExporterHelperSettings(settings, context, HELPER_DEFAULTS),
    queue: readQueue(settings),
  };
  return {
    http,
    translate,
    sendMetadata: settings.boolean('send_metadata', false),
    maxBatchSizeBytes,
    sending,
  };
}
