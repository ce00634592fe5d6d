import type { Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import { Temporality } from '../../../model/metric-point.ts';
import type { UnixNano } from '../../../model/units.ts';
import { ExplicitHistogram } from '../shared/explicit-histogram.ts';
import { ExponentialHistogram } from '../shared/exponential-histogram.ts';
import type { PointFrame } from '../shared/metric-output.ts';
import {
  descriptor,
  EMPTY_RESOURCE,
  exponentialPoint,
  histogramPoint,
  scopeNamed,
  sumPoint,
} from '../shared/metric-output.ts';
import type { Edge } from './edge-store.ts';
import type { ServiceGraphSettings } from './servicegraph-settings.ts';

/** upstream aggregateMetricsForEdge: series not updated for this long are dropped by the cache loop. */
export const STALE_SERIES_MS = 15 * 60_000;

const SCOPE = scopeNamed('traces_service_graph');
// upstream metric names (collectCountMetrics, collectServerLatencyMetrics, collectClientLatencyMetrics).
const REQUEST_TOTAL = descriptor('traces_service_graph_request_total', 'sum', Temporality.CUMULATIVE);
const REQUEST_FAILED_TOTAL = descriptor(
  'traces_service_graph_request_failed_total',
  'sum',
  Temporality.CUMULATIVE,
);
const SERVER_LATENCY = descriptor(
  'traces_service_graph_request_server',
  'histogram',
  Temporality.CUMULATIVE,
  's',
);
const CLIENT_LATENCY = descriptor(
  'traces_service_graph_request_client',
  'histogram',
  Temporality.CUMULATIVE,
  's',
);
const SERVER_LATENCY_EXP = descriptor(
  'traces_service_graph_request_server',
  'exponential_histogram',
  Temporality.CUMULATIVE,
  's',
);
const CLIENT_LATENCY_EXP = descriptor(
  'traces_service_graph_request_client',
  'exponential_histogram',
  Temporality.CUMULATIVE,
  's',
);

type Histogram = ExplicitHistogram | ExponentialHistogram;

interface EdgeSeries {
  attributes: Attributes;
  total: number;
  failed: number;
  server: Histogram;
  client: Histogram;
  lastUpdatedMs: number;
}

/** Request counts and latencies per client, server, connection type, failed and dimensions. */
export class ServiceGraphSeries {
  private readonly series = new Map<string, EdgeSeries>();

  constructor(private readonly settings: ServiceGraphSettings) {}

  get size(): number {
    return this.series.size;
  }

  /** upstream aggregateMetricsForEdge. */
  record(edge: Edge, nowMs: number): void {
    const key = this.seriesKey(edge);
    let series = this.series.get(key);
    if (!series) {
      series = {
        attributes: this.attributesOf(edge),
        total: 0,
        failed: 0,
        server: this.histogram(),
        client: this.histogram(),
        lastUpdatedMs: nowMs,
      };
      this.series.set(key, series);
    }
    series.lastUpdatedMs = nowMs;
    series.total++;
    if (edge.failed) series.failed++;
    series.server.observe(edge.serverLatencySeconds);
    series.client.observe(edge.clientLatencySeconds);
  }

  /** upstream cleanCache: drops series not updated for 15 minutes. */
  dropStale(nowMs: number): void {
    for (const [key, series] of this.series)
      if (series.lastUpdatedMs + STALE_SERIES_MS < nowMs) this.series.delete(key);
  }

  /** All series as cumulative points from the connector's start (upstream buildMetrics). */
  points(startTimeUnixNano: UnixNano, timeUnixNano: UnixNano): MetricPoint[] {
    const out: MetricPoint[] = [];
    const exponential = this.settings.latencyBoundsSeconds === null;
    for (const series of this.series.values()) {
      const frame: PointFrame = {
        resource: EMPTY_RESOURCE,
        scope: SCOPE,
        attributes: series.attributes,
        startTimeUnixNano,
        timeUnixNano,
        exemplars: [],
      };
      out.push(sumPoint(REQUEST_TOTAL, frame, series.total));
      if (series.failed > 0) out.push(sumPoint(REQUEST_FAILED_TOTAL, frame, series.failed));
      out.push(latencyPoint(exponential ? SERVER_LATENCY_EXP : SERVER_LATENCY, frame, series.server));
      out.push(latencyPoint(exponential ? CLIENT_LATENCY_EXP : CLIENT_LATENCY, frame, series.client));
    }
    return out;
  }

  private histogram(): Histogram {
    const bounds = this.settings.latencyBoundsSeconds;
    return bounds
      ? new ExplicitHistogram(bounds)
      : new ExponentialHistogram(this.settings.exponentialMaxSize);
  }

  /** upstream buildMetricKey: client, server, connection type, failed, then `kind_dim_value` per dimension. */
  private seriesKey(edge: Edge): string {
    let key = `${edge.clientService}\u0000${edge.serverService}\u0000${edge.connectionType}\u0000${edge.failed}`;
    for (const dimension of this.settings.dimensions) {
      for (const kind of ['client', 'server']) {
        const value = edge.dimensions[`${kind}_${dimension}`];
        if (value !== undefined) key += `\u0000${kind}_${dimension}_${value}`;
      }
    }
    if (this.settings.virtualNodeExtraLabel) key += `\u0000${edge.virtualNodeLabel}`;
    return key;
  }

  /** upstream buildDimensions (+ addExtraLabel for virtual_node_extra_label). */
  private attributesOf(edge: Edge): Attributes {
    const attributes = newAttributes();
    attributes['client'] = edge.clientService;
    attributes['server'] = edge.serverService;
    attributes['connection_type'] = edge.connectionType;
    attributes['failed'] = edge.failed;
    for (const [name, value] of Object.entries(edge.dimensions)) attributes[name] = value;
    if (this.settings.virtualNodeExtraLabel) attributes['virtual_node'] = edge.virtualNodeLabel;
    return attributes;
  }
}

function latencyPoint(metric: typeof SERVER_LATENCY, frame: PointFrame, histogram: Histogram): MetricPoint {
  return histogram instanceof ExplicitHistogram
    ? histogramPoint(metric, frame, histogram)
    : exponentialPoint(metric, frame, histogram);
}
