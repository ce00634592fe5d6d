/**
 * `setupVigil` with in-memory exporters, for tests of instrumented services: spans, metrics and
 * log records stay in the process and are read back after `sdk.forceFlush()`.
 */
import { InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { setupVigil, type VigilSdk, type VigilSdkOptions } from './setup-vigil.ts';

export interface InMemoryVigil {
  sdk: VigilSdk;
  spanExporter: InMemorySpanExporter;
  metricExporter: InMemoryMetricExporter;
  logExporter: InMemoryLogRecordExporter;
  /** The latest exported data point set of metric `name` (cumulative), or undefined. */
  latestMetric(name: string): MetricData | undefined;
}

/**
 * @example
 * const vigil = setupInMemoryVigil({ serviceName: 'svc' });
 * await traceInference(vigil.sdk.tracer, request, run);
 * await vigil.sdk.forceFlush();
 * vigil.spanExporter.getFinishedSpans();
 */
export function setupInMemoryVigil(options: Omit<VigilSdkOptions, 'spanExporter' | 'metricReader' | 'logExporter'>): InMemoryVigil {
  const spanExporter = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const logExporter = new InMemoryLogRecordExporter();
  // A long interval: tests export explicitly with forceFlush.
  const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const sdk = setupVigil({ ...options, spanExporter, metricReader, logExporter });
  const latestMetric = (name: string): MetricData | undefined => {
    const exports = metricExporter.getMetrics();
    for (let position = exports.length - 1; position >= 0; position--) {
      for (const scope of exports[position]?.scopeMetrics ?? []) {
        const found = scope.metrics.find((metric) => metric.descriptor.name === name);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return { sdk, spanExporter, metricExporter, logExporter, latestMetric };
}
