/**
 * Settings of the `servicegraph` connector as the Collector's connector/servicegraphconnector
 * config.go names them, with the defaults of servicegraphprocessor createDefaultConfig and
 * newConnector (store ttl 2s / max_items 1000, flush 60s, cache_loop 1m, store_expiration_loop 2s).
 */
import { SettingsReader } from '../../graph/settings-reader.ts';

export interface ServiceGraphSettings {
  /** Latency bucket bounds in seconds; null with exponential histograms. */
  latencyBoundsSeconds: number[] | null;
  exponentialMaxSize: number;
  dimensions: string[];
  storeTtlMs: number;
  storeMaxItems: number;
  cacheLoopMs: number;
  storeExpirationLoopMs: number;
  virtualNodePeerAttributes: string[];
  virtualNodeExtraLabel: boolean;
  /** 0: flush after every batch of spans. */
  flushIntervalMs: number;
  databaseNameAttributes: string[];
  timestampOffsetMs: number;
}

/** upstream defaultLatencyHistogramBuckets (seconds). */
export const DEFAULT_LATENCY_BOUNDS_SECONDS: readonly number[] = [
  0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15,
];
/** upstream defaultPeerAttributes: peer.service, db.name, db.system. */
export const DEFAULT_PEER_ATTRIBUTES: readonly string[] = ['peer.service', 'db.name', 'db.system'];

const KEYS = [
  'metrics_exporter',
  'latency_histogram_buckets',
  'dimensions',
  'store',
  'cache_loop',
  'store_expiration_loop',
  'virtual_node_peer_attributes',
  'virtual_node_extra_label',
  'metrics_flush_interval',
  'database_name_attribute',
  'database_name_attributes',
  'exponential_histogram_max_size',
  'metrics_timestamp_offset',
];

/**
 * Parses the connector's settings; unknown keys are refused as the Collector's strict decoding does.
 *
 * @example
 * const settings = parseServiceGraphSettings({ store: { ttl: '5s', max_items: 5000 }, dimensions: ['http.method'] });
 */
export function parseServiceGraphSettings(raw: unknown): ServiceGraphSettings {
  const s = SettingsReader.of(raw);
  s.allowOnly(KEYS);
  s.string('metrics_exporter', '');
  const store = s.child('store') ?? SettingsReader.of(undefined, ['store']);
  store.allowOnly(['ttl', 'max_items']);
  const exponentialMaxSize = s.count('exponential_histogram_max_size', 0);
  const bucketsMs = s.durationsMs('latency_histogram_buckets');
  // upstream newConnector: a non-zero exponential size wins over explicit buckets.
  const latencyBoundsSeconds =
    exponentialMaxSize > 0
      ? null
      : bucketsMs
        ? bucketsMs.map((ms) => ms / 1000)
        : [...DEFAULT_LATENCY_BOUNDS_SECONDS];
  const legacyDatabaseName = s.string('database_name_attribute', '');
  const databaseNames = s.strings('database_name_attributes');
  const positive = (key: string, fallbackMs: number): number => {
    const ms = s.durationMs(key, fallbackMs);
    return ms > 0 ? ms : fallbackMs;
  };
  return {
    latencyBoundsSeconds,
    exponentialMaxSize,
    dimensions: s.strings('dimensions'),
    storeTtlMs: store.durationMs('ttl', 2000),
    storeMaxItems: store.count('max_items', 1000),
    cacheLoopMs: positive('cache_loop', 60_000),
    storeExpirationLoopMs: positive('store_expiration_loop', 2000),
    virtualNodePeerAttributes: s.has('virtual_node_peer_attributes')
      ? s.strings('virtual_node_peer_attributes')
      : [...DEFAULT_PEER_ATTRIBUTES],
    virtualNodeExtraLabel: s.boolean('virtual_node_extra_label', false),
    flushIntervalMs: Math.max(0, s.durationMs('metrics_flush_interval', 60_000)),
    databaseNameAttributes: databaseNames.length > 0 ? databaseNames : [legacyDatabaseName || 'db.name'],
    timestampOffsetMs: s.durationMs('metrics_timestamp_offset', 0),
  };
}
