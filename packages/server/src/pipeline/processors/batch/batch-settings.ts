import { SettingsReader } from '../../graph/settings-reader.ts';

/** The `batch` processor's settings, validated, with the Collector's defaults applied. */
export interface BatchSettings {
  /** A batch is sent once it holds this many records; 0 sends every request at once. */
  sendBatchSize: number;
  /** A record waits at most this long for its batch to fill; 0 sends every request at once. */
  timeoutMs: number;
  /** Batches larger than this are split; 0 means no maximum. */
  sendBatchMaxSize: number;
}

const KNOWN_KEYS = [
  'send_batch_size',
  'timeout',
  'send_batch_max_size',
  'metadata_keys',
  'metadata_cardinality_limit',
];

/**
 * Parses `batch` settings with the Collector's defaults (send_batch_size 8192, timeout 200ms, no
 * maximum) and refuses what its Config.Validate refuses, in its words
 * (collector processor/batchprocessor/config.go).
 *
 * `metadata_keys` is refused: the Collector keeps one batcher per distinct value of those client
 * metadata keys (request headers), and Vigil's receivers do not carry client metadata into the
 * pipeline, so every batch would silently mix tenants. `metadata_cardinality_limit` only bounds
 * those batchers, so it is accepted and has nothing to bound.
 *
 * @example
 * const settings = parseBatchSettings({ send_batch_size: 1000, timeout: '1s' });
 */
export function parseBatchSettings(value: unknown): BatchSettings {
  const reader = SettingsReader.of(value);
  reader.allowOnly(KNOWN_KEYS);
  const sendBatchSize = reader.uint32('send_batch_size', 8192);
  const sendBatchMaxSize = reader.uint32('send_batch_max_size', 0);
  const timeoutMs = reader.durationMs('timeout', 200);
  const metadataKeys = reader.strings('metadata_keys');
  reader.uint32('metadata_cardinality_limit', 1000);

  if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
    throw reader.error(
      'send_batch_max_size must be greater or equal to send_batch_size',
      'send_batch_max_size',
    );
  }
  if (metadataKeys.length > 0) {
    throw reader.error(
      'Vigil does not batch by client metadata: its receivers do not pass request metadata to the pipeline, so metadata_keys must be empty',
      'metadata_keys',
    );
  }
  if (timeoutMs < 0) throw reader.error('timeout must be greater or equal to 0', 'timeout');
  return { sendBatchSize, timeoutMs, sendBatchMaxSize };
}
