/**
 * The metric and datapoint contexts (pkg/ottl/contexts/ottlmetric, ottldatapoint; paths from
 * internal/ctxmetric/metric.go and ctxdatapoint/datapoint.go). Vigil stores metrics as flattened
 * points sharing one MetricDescriptor by reference, so the metric context reads a group of points
 * with the same descriptor, resource and scope.
 */
import type { MetricDescriptor, MetricPoint, MetricType } from '../../../../../model/metric-point.ts';
import type { Resource, Scope } from '../../../../../model/resource.ts';
import type { OttlContext, PathTable } from '../context.ts';
import { attributesPath, commonPaths, invalidPath, nested, resolvePath, scalar } from '../context.ts';
import { METRIC_ENUMS } from '../enums.ts';
import type { OttlValue } from '../values.ts';
import { METRIC_CONVERTERS } from './metric-converters.ts';

/** What the metric context reads: a descriptor with its resource and scope. */
export interface MetricView {
  metric: MetricDescriptor;
  resource: Resource;
  scope: Scope;
}

/** One metric of a batch: the points that share a descriptor, resource and scope. */
export interface MetricGroup extends MetricView {
  points: MetricPoint[];
}

const TYPE_NUMBERS: Readonly<Record<MetricType, bigint>> = {
  gauge: 1n,
  sum: 2n,
  histogram: 3n,
  exponential_histogram: 4n,
  summary: 5n,
};

function metricPaths<T extends MetricView>(contextName: string): PathTable<T> {
  return {
    ...commonPaths<T>(
      contextName,
      (m) => m.resource,
      (m) => m.scope,
    ),
    name: scalar(contextName, (m) => m.metric.name),
    description: scalar(contextName, (m) => m.metric.description),
    unit: scalar(contextName, (m) => m.metric.unit),
    type: scalar(contextName, (m) => TYPE_NUMBERS[m.metric.type]),
    // Only sums and histograms carry a temporality, only sums monotonicity; others read nil.
    aggregation_temporality: scalar(contextName, (m) =>
      m.metric.type === 'gauge' || m.metric.type === 'summary' ? null : BigInt(m.metric.temporality),
    ),
    is_monotonic: scalar(contextName, (m) => (m.metric.type === 'sum' ? m.metric.isMonotonic : null)),
    metadata: attributesPath(contextName, (m) => m.metric.metadata),
  };
}

const METRIC_PATHS = metricPaths<MetricGroup>('metric');

/** The metric context: conditions under `metrics.metric`. */
export const METRIC_CONTEXT: OttlContext<MetricGroup> = {
  name: 'metric',
  enums: METRIC_ENUMS,
  path: (fields, column) => resolvePath('metric', METRIC_PATHS, fields, column),
  converters: METRIC_CONVERTERS,
};

const POINT_METRIC_PATHS = metricPaths<MetricPoint>('datapoint');

function isNumberPoint(point: MetricPoint): boolean {
  return point.metric.type === 'gauge' || point.metric.type === 'sum';
}

function hasCount(point: MetricPoint): boolean {
  return !isNumberPoint(point);
}

function bucketPaths(side: 'positive' | 'negative'): PathTable<MetricPoint>[string] {
  const read = (
    p: MetricPoint,
    pick: (b: { offset: number; bucketCounts: number[] }) => OttlValue,
  ): OttlValue => {
    const buckets = p.metric.type === 'exponential_histogram' ? p[side] : undefined;
    return buckets === undefined ? null : pick(buckets);
  };
  return nested('datapoint', {
    offset: scalar('datapoint', (p) => read(p, (b) => BigInt(b.offset))),
    bucket_counts: scalar('datapoint', (p) => read(p, (b) => b.bucketCounts.map(BigInt))),
  });
}

const DATAPOINT_PATHS: PathTable<MetricPoint> = {
  ...commonPaths<MetricPoint>(
    'datapoint',
    (p) => p.resource,
    (p) => p.scope,
  ),
  attributes: attributesPath('datapoint', (p) => p.attributes),
  start_time_unix_nano: scalar('datapoint', (p) => p.startTimeUnixNano),
  time_unix_nano: scalar('datapoint', (p) => p.timeUnixNano),
  // pdata's DoubleValue()/IntValue() read 0 for a number point of the other type.
  value_double: scalar('datapoint', (p) => (isNumberPoint(p) ? (p.valueIsInt ? 0 : (p.value ?? 0)) : null)),
  value_int: scalar('datapoint', (p) =>
    isNumberPoint(p) ? (p.valueIsInt ? BigInt(Math.trunc(p.value ?? 0)) : 0n) : null,
  ),
  flags: scalar('datapoint', (p) => BigInt(p.flags)),
  count: scalar('datapoint', (p) => (hasCount(p) ? BigInt(p.count ?? 0) : null)),
  sum: scalar('datapoint', (p) => (hasCount(p) ? (p.sum ?? 0) : null)),
  bucket_counts: scalar('datapoint', (p) =>
    p.metric.type === 'histogram' ? (p.bucketCounts ?? []).map(BigInt) : null,
  ),
  explicit_bounds: scalar('datapoint', (p) =>
    p.metric.type === 'histogram' ? [...(p.explicitBounds ?? [])] : null,
  ),
  scale: scalar('datapoint', (p) =>
    p.metric.type === 'exponential_histogram' ? BigInt(p.scale ?? 0) : null,
  ),
  zero_count: scalar('datapoint', (p) =>
    p.metric.type === 'exponential_histogram' ? BigInt(p.zeroCount ?? 0) : null,
  ),
  positive: bucketPaths('positive'),
  negative: bucketPaths('negative'),
  // `metric.<path>` reads the point's metric, as ottldatapoint delegates to ctxmetric.
  metric: (field, rest, column) => {
    if (field.keys.length > 0 || rest.length === 0) throw invalidPath('datapoint', [field, ...rest], column);
    return resolvePath('datapoint', POINT_METRIC_PATHS, rest, column);
  },
};

/** The datapoint context: conditions under `metrics.datapoint`. */
export const DATAPOINT_CONTEXT: OttlContext<MetricPoint> = {
  name: 'datapoint',
  enums: METRIC_ENUMS,
  path: (fields, column) => resolvePath('datapoint', DATAPOINT_PATHS, fields, column),
};
