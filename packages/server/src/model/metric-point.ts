import type { Attributes } from './attributes.ts';
import type { Resource, Scope } from './resource.ts';
import type { UnixNano } from './units.ts';

export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/** OTLP AggregationTemporality numbers. */
export const Temporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
export type Temporality = (typeof Temporality)[keyof typeof Temporality];

export interface Exemplar {
  timeUnixNano: UnixNano;
  /** int exemplars are converted to number; exact for the magnitudes metrics use. */
  value: number;
  filteredAttributes: Attributes;
  traceId: string;
  spanId: string;
}

export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/** The metric a point belongs to (shared by reference by all its points). */
export interface MetricDescriptor {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: Temporality;
  isMonotonic: boolean;
  metadata: Attributes;
}

/**
 * One data point of any OTLP metric type, flattened. Fields unused by a type are left undefined:
 * gauge/sum use `value`; histogram uses count/sum/min/max/bucketCounts/explicitBounds; exponential
 * histogram uses count/sum/min/max/scale/zeroCount/zeroThreshold/positive/negative; summary uses
 * count/sum/quantiles.
 */
export interface MetricPoint {
  metric: MetricDescriptor;
  resource: Resource;
  scope: Scope;
  attributes: Attributes;
  startTimeUnixNano: UnixNano;
  timeUnixNano: UnixNano;
  flags: number;
  exemplars: Exemplar[];
  value?: number;
  /** True when the OTLP point carried as_int (the value is then an integer). */
  valueIsInt?: boolean;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: number;
  zeroThreshold?: number;
  positive?: ExponentialBuckets;
  negative?: ExponentialBuckets;
  quantiles?: { quantile: number; value: number }[];
}
