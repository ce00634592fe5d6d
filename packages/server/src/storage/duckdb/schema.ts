/**
 * Table layout of the embedded store (docs/adr/0001-span-storage.md). Column order matters: the
 * encoders fill columns in exactly this order and the worker appends them positionally.
 *
 * - Timestamps are UBIGINT Unix nanoseconds (OTLP fixed64), durations BIGINT nanoseconds.
 * - Trace ids are UHUGEINT, span ids UBIGINT: 24 bytes instead of 48 hex characters.
 * - Resources and scopes are stored once per distinct content (id = hash of the content).
 * - Attributes: four typed maps plus `attr_other`, tagged JSON for bytes/array/kvlist/empty values.
 */
const ATTRIBUTE_COLUMNS = `
  attr_str MAP(VARCHAR, VARCHAR),
  attr_int MAP(VARCHAR, BIGINT),
  attr_dbl MAP(VARCHAR, DOUBLE),
  attr_bool MAP(VARCHAR, BOOLEAN),
  attr_other VARCHAR`;

export const SCHEMA_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS resources (
    resource_id UBIGINT, service VARCHAR, schema_url VARCHAR, dropped_attributes UINTEGER,${ATTRIBUTE_COLUMNS})`,
  `CREATE TABLE IF NOT EXISTS scopes (
    scope_id UBIGINT, name VARCHAR, version VARCHAR, schema_url VARCHAR, dropped_attributes UINTEGER,${ATTRIBUTE_COLUMNS})`,
  `CREATE TABLE IF NOT EXISTS spans (
    trace_id UHUGEINT, span_id UBIGINT, parent_span_id UBIGINT,
    start_time UBIGINT, duration BIGINT,
    service VARCHAR, name VARCHAR, kind UTINYINT, status_code UTINYINT, status_message VARCHAR,
    model_name VARCHAR, model_version VARCHAR, http_route VARCHAR, http_status USMALLINT,
    resource_id UBIGINT, scope_id UBIGINT, trace_state VARCHAR, flags UINTEGER,
    dropped_attributes UINTEGER, dropped_events UINTEGER, dropped_links UINTEGER,
    events VARCHAR, links VARCHAR,${ATTRIBUTE_COLUMNS})`,
  // One row per trace per write batch: where in time a trace's spans lie, so getTrace reads only the
  // row groups of that time window (zonemaps on start_time) instead of scanning every trace id.
  `CREATE TABLE IF NOT EXISTS trace_index (trace_id UHUGEINT, min_start UBIGINT, max_start UBIGINT)`,
  `CREATE TABLE IF NOT EXISTS logs (
    time UBIGINT, observed_time UBIGINT, severity_number UTINYINT, severity_text VARCHAR,
    body_text VARCHAR, body VARCHAR, service VARCHAR, trace_id UHUGEINT, span_id UBIGINT,
    flags UINTEGER, event_name VARCHAR, resource_id UBIGINT, scope_id UBIGINT,
    dropped_attributes UINTEGER,${ATTRIBUTE_COLUMNS})`,
  `CREATE TABLE IF NOT EXISTS metric_points (
    name VARCHAR, description VARCHAR, unit VARCHAR, type UTINYINT, temporality UTINYINT,
    is_monotonic BOOLEAN, metadata VARCHAR, service VARCHAR, resource_id UBIGINT, scope_id UBIGINT,
    start_time UBIGINT, time UBIGINT, flags UINTEGER, value DOUBLE, value_is_int BOOLEAN,
    count DOUBLE, sum DOUBLE, min DOUBLE, max DOUBLE, bucket_counts DOUBLE[], explicit_bounds DOUBLE[],
    scale DOUBLE, zero_count DOUBLE, zero_threshold DOUBLE,
    positive_offset DOUBLE, positive_counts DOUBLE[], negative_offset DOUBLE, negative_counts DOUBLE[],
    quantiles DOUBLE[], quantile_values DOUBLE[], exemplars VARCHAR,${ATTRIBUTE_COLUMNS})`,
  // Prometheus series (docs/adr/0003-prometheus-series.md). `ref` is dense and assigned by the
  // worker (14 bits for 10k series once bit-packed); `series_hash` is the stable 64-bit identity.
  `CREATE TABLE IF NOT EXISTS prom_series (
    ref UINTEGER, series_hash UBIGINT, name VARCHAR, labels MAP(VARCHAR, VARCHAR))`,
  // Samples not yet compacted are in the sample WAL and the worker's head, not in a table
  // (prom/sample-wal.ts). Compacted samples: one row per series per 2 h window (prom/compaction.ts), the samples encoded
  // by prom/sample-codec.ts (0.05–0.6 B/sample for regular scrapes). `n` counts them, `last_v` is
  // the last value (the series' bounds at open without decoding).
  `CREATE TABLE IF NOT EXISTS prom_blocks (
    ref UINTEGER, min_t BIGINT, max_t BIGINT, n UINTEGER, last_v DOUBLE, data BLOB)`,
  `CREATE TABLE IF NOT EXISTS prom_metadata (metric_family VARCHAR, type VARCHAR, help VARCHAR, unit VARCHAR)`,
];

/** Attribute columns as selected for decoding, in joinAttributes' argument order. */
export const ATTRIBUTE_SELECT = 'attr_str, attr_int, attr_dbl, attr_bool, attr_other';

/** Tables whose dimension rows are deduplicated by id. */
export const DIMENSION_TABLES = { resources: 'resource_id', scopes: 'scope_id' } as const;
export type DimensionTable = keyof typeof DIMENSION_TABLES;

/** The time column of each signal's tables, for retention. */
export const SIGNAL_TABLES = {
  traces: { table: 'spans', time: 'start_time' },
  metrics: { table: 'metric_points', time: 'time' },
  logs: { table: 'logs', time: 'time' },
} as const;
