import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Span } from '../../../model/span.ts';
import type { Cancel, ComponentContext, Consumer, Stoppable } from '../../graph/component.ts';
import { unixNanoOfMs } from '../shared/metric-output.ts';
import type { SpanMetricsCounters } from './spanmetrics-aggregator.ts';
import { SpanMetricsAggregator } from './spanmetrics-aggregator.ts';
import type { SpanMetricDescriptors } from './spanmetrics-output.ts';
import { resourcePoints, spanMetricDescriptors } from './spanmetrics-output.ts';
import type { SpanMetricsSettings } from './spanmetrics-settings.ts';
import { parseSpanMetricsSettings } from './spanmetrics-settings.ts';

/** What the connector counted, for self-metrics and tests. */
export interface SpanMetricsStats extends SpanMetricsCounters {
  /** Series held now, over all resources, overflow series included. */
  series: number;
  /** Flushes whose points the next consumer refused (cumulative points are re-sent next flush). */
  failedFlushes: number;
}

/**
 * The `spanmetrics` connector (Collector contrib connector/spanmetricsconnector): RED metrics from
 * every span — `traces.span.metrics.calls` (sum) and `traces.span.metrics.duration` (histogram) per
 * service.name, span.name, span.kind, status.code and the configured dimensions — emitted every
 * metrics_flush_interval. Vigil adds ml.model.name and ml.model.version as default dimensions.
 *
 * @example
 * const connector = createSpanMetricsConnector({ dimensions: [{ name: 'http.route' }] }, metricsPipeline, context);
 * await connector.consume(spans);
 * await connector.flush(context.nowMs()); // what the flush timer does
 */
export class SpanMetricsConnector implements Consumer<'traces'>, Stoppable {
  private readonly aggregator: SpanMetricsAggregator;
  private readonly metrics: SpanMetricDescriptors;
  private readonly cancelFlush: Cancel | undefined;
  private failedFlushes = 0;
  private loggedFailure = false;

  constructor(
    readonly settings: SpanMetricsSettings,
    private readonly emit: Consumer<'metrics'>,
    private readonly context: ComponentContext,
  ) {
    this.aggregator = new SpanMetricsAggregator(settings);
    this.metrics = spanMetricDescriptors(settings);
    if (settings.flushIntervalMs > 0)
      this.cancelFlush = context.scheduler.every(settings.flushIntervalMs, (nowMs) => this.flush(nowMs));
  }

  /** Aggregates the spans; never refuses them (the connector holds counters, not spans). */
  async consume(spans: Span[]): Promise<void> {
    const nowMs = this.context.nowMs();
    this.aggregator.add(spans, nowMs);
    // A zero interval flushes after every batch (the Collector's ticker cannot run at 0).
    if (this.settings.flushIntervalMs === 0) await this.flush(nowMs);
  }

  /** Emits every series' point as of `nowMs`, then resets what the temporality says (upstream exportMetrics). */
  async flush(nowMs: number): Promise<void> {
    const points = this.buildPoints(nowMs);
    this.resetState(nowMs);
    if (points.length === 0) return;
    try {
      await this.emit.consume(points);
    } catch (error: unknown) {
      this.failedFlushes++;
      if (!this.loggedFailure) {
        this.loggedFailure = true;
        this.context.log(
          `${this.context.id}: metrics refused downstream (${errorName(error)}); counting further failures`,
        );
      }
    }
  }

  async shutdown(): Promise<void> {
    this.cancelFlush?.();
    await this.flush(this.context.nowMs());
  }

  stats(): SpanMetricsStats {
    let series = 0;
    for (const aggregate of this.aggregator.aggregates.values())
      series += aggregate.series.size + (aggregate.overflow ? 1 : 0);
    return { ...this.aggregator.counters, series, failedFlushes: this.failedFlushes };
  }

  private buildPoints(nowMs: number): MetricPoint[] {
    const timeUnixNano = unixNanoOfMs(nowMs);
    const points: MetricPoint[] = [];
    for (const aggregate of this.aggregator.aggregates.values())
      resourcePoints(aggregate, this.metrics, timeUnixNano, points);
    return points;
  }

  /** upstream resetState: delta restarts every series; cumulative clears exemplars and expires. */
  private resetState(nowMs: number): void {
    const { temporality, metricsExpirationMs, seriesExpirationMs, histogram } = this.settings;
    const timeUnixNano = unixNanoOfMs(nowMs);
    for (const aggregate of [...this.aggregator.aggregates.values()]) {
      if (metricsExpirationMs > 0 && nowMs - aggregate.lastSeenMs >= metricsExpirationMs) {
        this.aggregator.removeAggregate(aggregate);
        continue;
      }
      for (const series of [...aggregate.series, ...(aggregate.overflow ? [aggregate.overflow] : [])]) {
        const idle =
          temporality === 'delta'
            ? series.calls === 0
            : seriesExpirationMs > 0 && nowMs - series.lastSeenMs >= seriesExpirationMs;
        if (idle) aggregate.removeSeries(series);
        else if (temporality === 'delta') series.restart(timeUnixNano, histogram);
        else series.exemplars.length = 0;
      }
      for (const [key, events] of aggregate.events) {
        if (temporality === 'delta' && events.count === 0) aggregate.events.delete(key);
        else if (temporality === 'delta')
          Object.assign(events, { count: 0, startTimeUnixNano: timeUnixNano });
        events.exemplars.length = 0;
      }
    }
    // resource_metrics_cache_size: the least recently seen resources go once they have been exported.
    for (const aggregate of this.aggregator.aggregates.values()) {
      if (this.aggregator.aggregates.size <= this.settings.resourceMetricsCacheSize) break;
      this.aggregator.removeAggregate(aggregate);
    }
  }
}

/** Parses the settings (throwing SettingsError) and starts the connector's flush timer. */
export function createSpanMetricsConnector(
  settings: unknown,
  emit: Consumer<'metrics'>,
  context: ComponentContext,
): SpanMetricsConnector {
  return new SpanMetricsConnector(parseSpanMetricsSettings(settings), emit, context);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
