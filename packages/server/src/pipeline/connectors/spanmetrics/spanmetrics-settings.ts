/**
 * Settings of the `spanmetrics` connector, named, defaulted and validated as the Collector's
 * connector/spanmetricsconnector config.go (Config, Validate) and factory.go (createDefaultConfig).
 */
import { SettingsReader } from '../../graph/settings-reader.ts';
import { DEFAULT_EXPONENTIAL_MAX_SIZE } from '../shared/exponential-histogram.ts';

/** A dimension: looked up in span attributes, then resource attributes, else `default`, else omitted. */
export interface DimensionSetting {
  name: string;
  /** Used when neither the span nor its resource has the attribute; undefined omits the dimension. */
  defaultValue: string | undefined;
}

export type HistogramSetting =
  | { kind: 'explicit'; boundsInUnit: number[] }
  | { kind: 'exponential'; maxSize: number }
  | { kind: 'disabled' };

export interface SpanMetricsSettings {
  dimensions: DimensionSetting[];
  excludeDimensions: ReadonlySet<string>;
  histogram: HistogramSetting;
  unit: 'ms' | 's';
  temporality: 'cumulative' | 'delta';
  flushIntervalMs: number;
  /** 0: resource metrics never expire. */
  metricsExpirationMs: number;
  /** 0: series never expire. */
  seriesExpirationMs: number;
  namespace: string;
  exemplars: { enabled: boolean; maxPerDataPoint: number };
  resourceMetricsKeyAttributes: readonly string[];
  resourceMetricsCacheSize: number;
  aggregationCardinalityLimit: number;
  events: { enabled: boolean; dimensions: DimensionSetting[] };
  includeInstrumentationScope: ReadonlySet<string>;
}

/** upstream config.go defaultHistogramBucketsMs. */
export const DEFAULT_BUCKETS_MS: readonly number[] = [
  2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000,
];
/** upstream DefaultNamespace (metric names `traces.span.metrics.calls`, …). */
export const DEFAULT_NAMESPACE = 'traces.span.metrics';
/** The four dimensions every point has unless excluded (upstream serviceNameKey, spanNameKey, …). */
export const RESERVED_DIMENSIONS = ['service.name', 'span.name', 'span.kind', 'status.code'] as const;
/**
 * Vigil addition: per-model RED metrics without configuration. These two span/resource attributes
 * are dimensions after the configured ones unless configured or excluded; a span with neither gets
 * no such label (no default), so non-ML services are unaffected.
 */
export const VIGIL_DEFAULT_DIMENSIONS = ['ml.model.name', 'ml.model.version'] as const;
/** Vigil default when aggregation_cardinality_limit is unset (upstream: 0 = unlimited). */
export const VIGIL_DEFAULT_CARDINALITY_LIMIT = 10_000;
/**
 * Vigil default when exemplars.max_per_data_point is unset (upstream: unlimited, which at 100k
 * spans/s keeps every span of a flush interval as an exemplar).
 */
export const VIGIL_DEFAULT_EXEMPLARS_PER_POINT = 10;

const KEYS = [
  'add_resource_attributes',
  'aggregation_cardinality_limit',
  'aggregation_temporality',
  'calls_dimensions',
  'dimensions',
  'dimensions_cache_size',
  'enable_metrics_sampling_method',
  'events',
  'exclude_dimensions',
  'exemplars',
  'histogram',
  'include_instrumentation_scope',
  'metric_timestamp_cache_size',
  'metrics_expiration',
  'metrics_flush_interval',
  'namespace',
  'resource_metrics_cache_size',
  'resource_metrics_key_attributes',
  'series_expiration',
];

/**
 * Parses and validates the connector's settings; throws SettingsError as the Collector's
 * Config.Validate does (same conditions, same words).
 *
 * @example
 * const settings = parseSpanMetricsSettings({ histogram: { unit: 's' }, dimensions: [{ name: 'http.route' }] });
 */
export function parseSpanMetricsSettings(raw: unknown): SpanMetricsSettings {
  const s = SettingsReader.of(raw);
  s.allowOnly(KEYS);
  refuseUnsupported(s);
  const dimensions = readDimensions(s, 'dimensions');
  validateDimensions(s, 'dimensions', dimensions);
  const excludeDimensions = new Set(s.strings('exclude_dimensions'));
  const { histogram, unit } = readHistogram(
    s.child('histogram') ?? SettingsReader.of(undefined, ['histogram']),
  );
  const flushIntervalMs = s.durationMs('metrics_flush_interval', 60_000);
  if (flushIntervalMs < 0)
    throw s.error(
      `invalid metrics_flush_interval: ${flushIntervalMs}ms, the duration should be positive`,
      'metrics_flush_interval',
    );
  const metricsExpirationMs = nonNegativeDuration(s, 'metrics_expiration');
  const seriesExpirationMs = nonNegativeDuration(s, 'series_expiration');
  const temporality =
    s.string('aggregation_temporality', 'AGGREGATION_TEMPORALITY_CUMULATIVE') ===
    'AGGREGATION_TEMPORALITY_DELTA'
      ? 'delta'
      : 'cumulative';
  const timestampCacheSize = s.number('metric_timestamp_cache_size', 1000);
  if (temporality === 'delta' && timestampCacheSize <= 0)
    throw s.error(
      `invalid delta timestamp cache size: ${timestampCacheSize}, the maximum number of the items in the cache should be positive`,
      'metric_timestamp_cache_size',
    );
  const limit = s.number('aggregation_cardinality_limit', 0);
  if (limit < 0)
    throw s.error(
      `invalid aggregation_cardinality_limit: ${limit}, the limit should be positive`,
      'aggregation_cardinality_limit',
    );
  s.boolean('add_resource_attributes', false);
  s.count('dimensions_cache_size', 1000);
  return {
    dimensions: withVigilDefaults(dimensions, excludeDimensions),
    excludeDimensions,
    histogram,
    unit,
    temporality,
    flushIntervalMs,
    metricsExpirationMs,
    seriesExpirationMs,
    namespace: s.string('namespace', DEFAULT_NAMESPACE),
    exemplars: readExemplars(s.child('exemplars')),
    resourceMetricsKeyAttributes: s.strings('resource_metrics_key_attributes'),
    resourceMetricsCacheSize: positiveCount(s, 'resource_metrics_cache_size', 1000),
    aggregationCardinalityLimit: limit === 0 ? VIGIL_DEFAULT_CARDINALITY_LIMIT : limit,
    events: readEvents(s.child('events')),
    includeInstrumentationScope: new Set(s.strings('include_instrumentation_scope')),
  };
}

/** Upstream keys Vigil does not implement yet: refused when used, so nothing is silently ignored. */
function refuseUnsupported(s: SettingsReader): void {
  if (s.list('calls_dimensions').length > 0)
    throw s.error('calls_dimensions is not supported by Vigil yet', 'calls_dimensions');
  if (s.boolean('enable_metrics_sampling_method', false))
    throw s.error(
      'enable_metrics_sampling_method is not supported by Vigil yet',
      'enable_metrics_sampling_method',
    );
  const histogram = s.child('histogram');
  if (histogram && histogram.list('dimensions').length > 0)
    throw histogram.error('histogram dimensions are not supported by Vigil yet', 'dimensions');
}

function readDimensions(s: SettingsReader, key: string): DimensionSetting[] {
  return s.list(key).map((d) => {
    d.allowOnly(['name', 'default', 'glob']);
    if (d.has('glob')) throw d.error('glob dimensions are not supported by Vigil yet', 'glob');
    const name = d.requiredString('name');
    return { name, defaultValue: d.has('default') ? d.string('default', '') : undefined };
  });
}

/** upstream validateDimensions: no duplicates, none equal to a reserved dimension. */
function validateDimensions(s: SettingsReader, key: string, dimensions: readonly DimensionSetting[]): void {
  const seen = new Set<string>(RESERVED_DIMENSIONS);
  for (const d of dimensions) {
    if (seen.has(d.name))
      throw s.error(
        `failed validating ${key === 'dimensions' ? 'dimensions' : 'event dimensions'}: duplicate dimension name ${d.name}`,
        key,
      );
    seen.add(d.name);
  }
}

function withVigilDefaults(
  configured: DimensionSetting[],
  excluded: ReadonlySet<string>,
): DimensionSetting[] {
  const names = new Set(configured.map((d) => d.name));
  const extra = VIGIL_DEFAULT_DIMENSIONS.filter((name) => !names.has(name) && !excluded.has(name));
  return [...configured, ...extra.map((name) => ({ name, defaultValue: undefined }))];
}

function readHistogram(h: SettingsReader): { histogram: HistogramSetting; unit: 'ms' | 's' } {
  h.allowOnly(['disable', 'unit', 'explicit', 'exponential', 'dimensions']);
  const unitText = h.string('unit', 'ms');
  if (unitText !== 'ms' && unitText !== 's')
    throw h.error(`unknown unit "${unitText}", allowed units are "ms" and "s"`, 'unit');
  const unit: 'ms' | 's' = unitText;
  const explicit = h.child('explicit');
  const exponential = h.child('exponential');
  if (explicit && exponential) throw h.error('use either `explicit` or `exponential` buckets histogram');
  if (h.boolean('disable', false)) return { histogram: { kind: 'disabled' }, unit };
  if (exponential) {
    exponential.allowOnly(['max_size']);
    const maxSize = exponential.count('max_size', 0);
    return {
      histogram: { kind: 'exponential', maxSize: maxSize === 0 ? DEFAULT_EXPONENTIAL_MAX_SIZE : maxSize },
      unit,
    };
  }
  explicit?.allowOnly(['buckets']);
  const bucketsMs = explicit ? explicit.durationsMs('buckets') : undefined;
  const divider = unit === 's' ? 1000 : 1;
  const boundsInUnit = (bucketsMs ?? DEFAULT_BUCKETS_MS).map((ms) => ms / divider);
  return { histogram: { kind: 'explicit', boundsInUnit }, unit };
}

function readExemplars(e: SettingsReader | undefined): SpanMetricsSettings['exemplars'] {
  if (!e) return { enabled: false, maxPerDataPoint: VIGIL_DEFAULT_EXEMPLARS_PER_POINT };
  e.allowOnly(['enabled', 'max_per_data_point']);
  return {
    enabled: e.boolean('enabled', false),
    maxPerDataPoint: e.count('max_per_data_point', VIGIL_DEFAULT_EXEMPLARS_PER_POINT),
  };
}

function readEvents(e: SettingsReader | undefined): SpanMetricsSettings['events'] {
  if (!e) return { enabled: false, dimensions: [] };
  e.allowOnly(['enabled', 'dimensions']);
  const enabled = e.boolean('enabled', false);
  const dimensions = readDimensions(e, 'dimensions');
  if (enabled && dimensions.length === 0)
    throw e.error('failed validating event dimensions: no dimensions configured for events', 'dimensions');
  if (enabled) validateDimensions(e, 'events', dimensions);
  return { enabled, dimensions };
}

function nonNegativeDuration(s: SettingsReader, key: string): number {
  const ms = s.durationMs(key, 0);
  if (ms < 0) throw s.error(`invalid ${key}: ${ms}ms, the duration should be positive`, key);
  return ms;
}

function positiveCount(s: SettingsReader, key: string, fallback: number): number {
  const value = s.count(key, fallback);
  if (value === 0)
    throw s.error(`invalid ${key}: 0, the maximum number of the items in the cache should be positive`, key);
  return value;
}
