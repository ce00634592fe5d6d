/** Vigil's own counters for the filter processor, on /metrics with the rest of selfMetrics. */
import { selfMetrics } from '../../../telemetry/self-metrics.ts';

export const filterMetrics = {
  /** The counterpart of otelcol_processor_filter_{spans,datapoints,logs}.filtered. */
  dropped: selfMetrics.counter(
    'vigil_filter_dropped_total',
    'Spans, metric data points and log records dropped by filter processors, by signal.',
  ),
};
