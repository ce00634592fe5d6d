import type {
  ExponentialBuckets,
  Exemplar,
  MetricDescriptor,
  MetricPoint,
  MetricType,
  Temporality,
} from '../../model/metric-point.ts';
import type { MetricPointQuery } from '../store.ts';
import { decodeAttributesJson, decodeTagged } from './attribute-codec.ts';
import type { DimensionCache, RunQuery } from './dimension-decoder.ts';
import { attributesAt } from './dimension-decoder.ts';
import { METRIC_TYPES } from './metric-encoder.ts';
import { rangeCondition, SqlBuilder } from './sql-builder.ts';

const METRIC_SELECT = `name, description, unit, type, temporality, is_monotonic, metadata, resource_id, scope_id,
  start_time, time, flags, value, value_is_int, count, sum, min, max, bucket_counts, explicit_bounds, scale,
  zero_count, zero_threshold, positive_offset, positive_counts, negative_offset, negative_counts, quantiles,
  quantile_values, exemplars, attr_str, attr_int, attr_dbl, attr_bool, attr_other`;

function decodeExemplars(json: string | null): Exemplar[] {
  if (json === null) return [];
  type Row = [string, unknown, string | null, string, string];
  return (JSON.parse(json) as Row[]).map(([time, value, attributes, traceId, spanId]) => ({
    timeUnixNano: BigInt(time),
    value: decodeTagged(value) as number,
    filteredAttributes: decodeAttributesJson(attributes),
    traceId,
    spanId,
  }));
}

/** Descriptors are shared by reference among a result's points, as the decoder shares them. */
function descriptor(row: readonly unknown[], cache: Map<string, MetricDescriptor>): MetricDescriptor {
  const key = JSON.stringify(row.slice(0, 7));
  let metric = cache.get(key);
  if (!metric) {
    metric = {
      name: row[0] as string,
      description: row[1] as string,
      unit: row[2] as string,
      type: METRIC_TYPES[row[3] as number] as MetricType,
      temporality: row[4] as Temporality,
      isMonotonic: row[5] as boolean,
      metadata: decodeAttributesJson(row[6] as string | null),
    };
    cache.set(key, metric);
  }
  return metric;
}

function buckets(offset: unknown, counts: unknown): ExponentialBuckets | undefined {
  return offset === null ? undefined : { offset: offset as number, bucketCounts: counts as number[] };
}

/** Sets only the fields stored non-NULL, so absent optional fields stay absent. */
function optionalFields(row: readonly unknown[], point: MetricPoint): void {
  const fields = [
    'value',
    'valueIsInt',
    'count',
    'sum',
    'min',
    'max',
    'bucketCounts',
    'explicitBounds',
    'scale',
  ] as const;
  fields.forEach((field, i) => {
    if (row[12 + i] !== null) Object.assign(point, { [field]: row[12 + i] });
  });
  if (row[21] !== null) point.zeroCount = row[21] as number;
  if (row[22] !== null) point.zeroThreshold = row[22] as number;
  const positive = buckets(row[23], row[24]);
  if (positive) point.positive = positive;
  const negative = buckets(row[25], row[26]);
  if (negative) point.negative = negative;
  if (row[27] !== null) {
    const values = row[28] as number[];
    point.quantiles = (row[27] as number[]).map((quantile, i) => ({ quantile, value: values[i] ?? NaN }));
  }
}

function decodePoint(
  row: readonly unknown[],
  dimensions: DimensionCache,
  descriptors: Map<string, MetricDescriptor>,
): MetricPoint {
  const point: MetricPoint = {
    metric: descriptor(row, descriptors),
    resource: dimensions.resource(row[7] as bigint),
    scope: dimensions.scope(row[8] as bigint),
    attributes: attributesAt(row, 30),
    startTimeUnixNano: row[9] as bigint,
    timeUnixNano: row[10] as bigint,
    flags: row[11] as number,
    exemplars: decodeExemplars(row[29] as string | null),
  };
  optionalFields(row, point);
  return point;
}

/** Metric points by name and time, oldest first (the order a PromQL evaluator consumes them). */
export async function readMetricPoints(
  query: MetricPointQuery,
  run: RunQuery,
  dimensions: DimensionCache,
): Promise<MetricPoint[]> {
  const sql = new SqlBuilder();
  const conditions = rangeCondition('time', query.range);
  if (query.name !== undefined) conditions.push(`name = ${sql.param(query.name)}`);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await run(
    `SELECT ${METRIC_SELECT} FROM metric_points ${where} ORDER BY time LIMIT ${sql.param(Math.max(0, Math.floor(query.limit)))}`,
    sql.params,
  );
  await dimensions.load(
    rows.map((row) => row[7] as bigint),
    rows.map((row) => row[8] as bigint),
  );
  const descriptors = new Map<string, MetricDescriptor>();
  return rows.map((row) => decodePoint(row, dimensions, descriptors));
}
