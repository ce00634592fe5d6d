/**
 * Filtering metrics (processor/filterprocessor/metrics.go): a point is dropped when its resource,
 * its metric or the point itself matches. Metric conditions are evaluated once per metric (the
 * points sharing a descriptor, resource and scope); dropping points leaves the rest of the metric,
 * and a metric whose points are all dropped disappears with them.
 */
import type { MetricDescriptor, MetricPoint } from '../../../model/metric-point.ts';
import type { Resource, Scope } from '../../../model/resource.ts';
import type { Consumer, ProcessorInstance } from '../../graph/component.ts';
import { filterMetrics } from './filter-metrics.ts';
import type { MetricConditions } from './filter-settings.ts';
import type { MetricGroup } from './ottl/contexts/metric-context.ts';
import { resourceMatcher } from './resource-cache.ts';

export function metricsFilter(
  conditions: MetricConditions,
  next: Consumer<'metrics'>,
): ProcessorInstance<'metrics'> {
  return {
    async consume(points: MetricPoint[]): Promise<void> {
      const kept = filterPoints(points, conditions);
      const dropped = points.length - kept.length;
      if (dropped > 0) filterMetrics.dropped.inc({ signal: 'metrics' }, dropped);
      if (kept.length > 0) await next.consume(kept);
    },
  };
}

function filterPoints(points: MetricPoint[], conditions: MetricConditions): MetricPoint[] {
  const resourceDropped = resourceMatcher(conditions.resource);
  const metricDropped = conditions.metric.isEmpty ? undefined : droppedMetrics(points, conditions);
  return points.filter(
    (point) =>
      !resourceDropped(point.resource) &&
      !(metricDropped?.has(point) ?? false) &&
      !conditions.datapoint.matches(point),
  );
}

/** The points whose metric matches a metric condition. */
function droppedMetrics(points: MetricPoint[], conditions: MetricConditions): Set<MetricPoint> {
  const dropped = new Set<MetricPoint>();
  for (const group of groupByMetric(points)) {
    if (conditions.metric.matches(group)) for (const point of group.points) dropped.add(point);
  }
  return dropped;
}

type GroupIndex = Map<MetricDescriptor, Map<Resource, Map<Scope, MetricGroup>>>;

function groupByMetric(points: MetricPoint[]): MetricGroup[] {
  const index: GroupIndex = new Map();
  const groups: MetricGroup[] = [];
  for (const point of points) {
    const byResource = getOrCreate(index, point.metric, () => new Map<Resource, Map<Scope, MetricGroup>>());
    const byScope = getOrCreate(byResource, point.resource, () => new Map<Scope, MetricGroup>());
    const group = getOrCreate(byScope, point.scope, () => {
      const created: MetricGroup = {
        metric: point.metric,
        resource: point.resource,
        scope: point.scope,
        points: [],
      };
      groups.push(created);
      return created;
    });
    group.points.push(point);
  }
  return groups;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
