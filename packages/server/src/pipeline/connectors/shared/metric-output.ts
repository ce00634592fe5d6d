import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type {
  Exemplar,
  MetricDescriptor,
  MetricPoint,
  MetricType,
  Temporality,
} from '../../../model/metric-point.ts';
import type { Resource, Scope } from '../../../model/resource.ts';
import { promLabelValue } from '../../../model/prom-labels.ts';
import type { UnixNano } from '../../../model/units.ts';
import { NANOS_PER_MILLI } from '../../../model/units.ts';
import type { ExplicitHistogram } from './explicit-histogram.ts';
import type { ExponentialHistogram } from './exponential-histogram.ts';

/** A metric descriptor; create each once so every point shares it (prom-mapping caches per descriptor). */
export function descriptor(
  name: string,
  type: MetricType,
  temporality: Temporality,
  unit = '',
  description = '',
): MetricDescriptor {
  return {
    name,
    description,
    unit,
    type,
    temporality,
    isMonotonic: type === 'sum',
    metadata: newAttributes(),
  };
}

export function scopeNamed(name: string): Scope {
  return { name, version: '', attributes: newAttributes(), droppedAttributesCount: 0, schemaUrl: '' };
}

/** The resource of points that describe no one service (servicegraph: one empty resource, as upstream). */
export const EMPTY_RESOURCE: Resource = {
  attributes: newAttributes(),
  droppedAttributesCount: 0,
  schemaUrl: '',
  serviceName: '',
};

export function unixNanoOfMs(ms: number): UnixNano {
  return BigInt(Math.floor(ms)) * NANOS_PER_MILLI;
}

/** What one output point of a series shares: where it belongs and its time range. */
export interface PointFrame {
  resource: Resource;
  scope: Scope;
  attributes: Attributes;
  startTimeUnixNano: UnixNano;
  timeUnixNano: UnixNano;
  exemplars: Exemplar[];
}

export function sumPoint(metric: MetricDescriptor, frame: PointFrame, value: number): MetricPoint {
  return { metric, ...frame, flags: 0, value, valueIsInt: true };
}

export function histogramPoint(
  metric: MetricDescriptor,
  frame: PointFrame,
  histogram: ExplicitHistogram,
): MetricPoint {
  return {
    metric,
    ...frame,
    flags: 0,
    count: histogram.count,
    sum: histogram.sum,
    bucketCounts: [...histogram.bucketCounts],
    explicitBounds: [...histogram.bounds],
  };
}

export function exponentialPoint(
  metric: MetricDescriptor,
  frame: PointFrame,
  histogram: ExponentialHistogram,
): MetricPoint {
  const empty = histogram.count === 0;
  return {
    metric,
    ...frame,
    flags: 0,
    count: histogram.count,
    sum: histogram.sum,
    ...(empty ? {} : { min: histogram.min, max: histogram.max }),
    scale: histogram.scale,
    zeroCount: histogram.zeroCount,
    zeroThreshold: 0,
    positive: histogram.positive(),
    negative: { offset: 0, bucketCounts: [] },
  };
}

/**
 * An attribute value as key text, as pdata's Value.AsString writes it (what the Collector's
 * connectors join into their metric keys).
 */
export function valueKeyText(value: AttributeValue): string {
  return typeof value === 'string' ? value : promLabelValue(value);
}
