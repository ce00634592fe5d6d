import type { Exemplar, MetricPoint, MetricType } from '../../model/metric-point.ts';
import { encodeAttributesJson, encodeTagged } from './attribute-codec.ts';
import type { Column, TableBatch } from './columnar.ts';
import { BoolBuilder, Int64Builder, ListBuilder, NumberBuilder, StringTable } from './columnar.ts';
import type { DimensionCollector } from './dimension-encoder.ts';
import { AttributeColumns, uint32Column } from './dimension-encoder.ts';

export const METRIC_TYPES: readonly MetricType[] = [
  'gauge',
  'sum',
  'histogram',
  'exponential_histogram',
  'summary',
];

/** Exemplars as tagged JSON (few per point, read with the point, never filtered on). */
export function encodeExemplars(exemplars: readonly Exemplar[]): string | null {
  if (exemplars.length === 0) return null;
  return JSON.stringify(
    exemplars.map((e) => [
      e.timeUnixNano.toString(),
      encodeTagged(e.value),
      encodeAttributesJson(e.filteredAttributes),
      e.traceId,
      e.spanId,
    ]),
  );
}

function numberColumn(points: readonly MetricPoint[], pick: (p: MetricPoint) => number | undefined): Column {
  const builder = new NumberBuilder(points.length);
  points.forEach((point, row) => builder.set(row, pick(point)));
  return builder.build();
}

function listColumn(
  points: readonly MetricPoint[],
  pick: (p: MetricPoint) => readonly number[] | undefined,
): Column {
  const builder = new ListBuilder(points.length);
  points.forEach((point, row) => builder.set(row, pick(point)));
  return builder.build();
}

/**
 * Metric points → the `metric_points` batch. Every optional field is a nullable column, NULL exactly
 * when the field is undefined, so a point reads back with the same fields present.
 */
export function encodeMetricPoints(
  points: readonly MetricPoint[],
  dimensions: DimensionCollector,
): TableBatch[] {
  const n = points.length;
  const strings = new StringTable();
  const starts = new Int64Builder(n, true);
  const times = new Int64Builder(n, true);
  const resourceIds = new Int64Builder(n, true);
  const scopeIds = new Int64Builder(n, true);
  const monotonic = new BoolBuilder(n);
  const valueIsInt = new BoolBuilder(n);
  const attributes = new AttributeColumns(n, strings);
  points.forEach((point, row) => {
    starts.set(row, point.startTimeUnixNano);
    times.set(row, point.timeUnixNano);
    resourceIds.set(row, dimensions.resourceId(point.resource));
    scopeIds.set(row, dimensions.scopeId(point.scope));
    monotonic.set(row, point.metric.isMonotonic);
    valueIsInt.set(row, point.valueIsInt);
    attributes.set(row, point.attributes);
  });
  const text = (pick: (p: MetricPoint) => string | null): Column => strings.column(points.map(pick));
  const columns: Column[] = [
    text((p) => p.metric.name),
    text((p) => p.metric.description),
    text((p) => p.metric.unit),
    uint32Column(points.map((p) => METRIC_TYPES.indexOf(p.metric.type))),
    uint32Column(points.map((p) => p.metric.temporality)),
    monotonic.build(),
    text((p) => encodeAttributesJson(p.metric.metadata)),
    text((p) => p.resource.serviceName),
    resourceIds.build(),
    scopeIds.build(),
    starts.build(),
    times.build(),
    uint32Column(points.map((p) => p.flags)),
    numberColumn(points, (p) => p.value),
    valueIsInt.build(),
    numberColumn(points, (p) => p.count),
    numberColumn(points, (p) => p.sum),
    numberColumn(points, (p) => p.min),
    numberColumn(points, (p) => p.max),
    listColumn(points, (p) => p.bucketCounts),
    listColumn(points, (p) => p.explicitBounds),
    numberColumn(points, (p) => p.scale),
    numberColumn(points, (p) => p.zeroCount),
    numberColumn(points, (p) => p.zeroThreshold),
    numberColumn(points, (p) => p.positive?.offset),
    listColumn(points, (p) => p.positive?.bucketCounts),
    numberColumn(points, (p) => p.negative?.offset),
    listColumn(points, (p) => p.negative?.bucketCounts),
    listColumn(points, (p) => p.quantiles?.map((q) => q.quantile)),
    listColumn(points, (p) => p.quantiles?.map((q) => q.value)),
    text((p) => encodeExemplars(p.exemplars)),
    ...attributes.build(),
  ];
  return [{ table: 'metric_points', rowCount: n, columns, strings: strings.strings }];
}
