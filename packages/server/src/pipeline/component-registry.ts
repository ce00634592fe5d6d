import { serviceGraphFactory } from './connectors/servicegraph/servicegraph-factory.ts';
import { spanMetricsFactory } from './connectors/spanmetrics/spanmetrics-factory.ts';
import { otlpExporterFactory } from './exporters/otlp/otlp-exporter.ts';
import { otlpHttpExporterFactory } from './exporters/otlp/otlp-http-exporter.ts';
import { lokiExporterFactory } from './exporters/loki/loki-exporter.ts';
import { prometheusRemoteWriteFactory } from './exporters/prometheusremotewrite/prometheus-remote-write-exporter.ts';
import type { ComponentRegistry } from './graph/build-graph.ts';
import type { ConnectorFactory, ExporterFactory, ProcessorFactory } from './graph/component.ts';
import { attributesFactory } from './processors/attributes/attributes-processor.ts';
import { batchFactory } from './processors/batch/batch-factory.ts';
import { filterFactory } from './processors/filter/filter-factory.ts';
import { memoryLimiterFactory } from './processors/memory-limiter/memory-limiter-factory.ts';
import { resourceFactory } from './processors/resource/resource-processor.ts';
import { tailSamplingFactory } from './processors/tail-sampling/tail-sampling-factory.ts';

const PROCESSORS: readonly ProcessorFactory[] = [
  memoryLimiterFactory,
  batchFactory,
  attributesFactory,
  resourceFactory,
  filterFactory,
  tailSamplingFactory,
];
const EXPORTERS: readonly ExporterFactory[] = [
  otlpExporterFactory,
  otlpHttpExporterFactory,
  prometheusRemoteWriteFactory,
  lokiExporterFactory,
];
const CONNECTORS: readonly ConnectorFactory[] = [spanMetricsFactory, serviceGraphFactory];

/** Every Collector component type Vigil implements (config/collector/component-catalog.ts lists the rest). */
export function defaultRegistry(): ComponentRegistry {
  return {
    processors: new Map(PROCESSORS.map((f) => [f.type, f])),
    exporters: new Map(EXPORTERS.map((f) => [f.type, f])),
    connectors: new Map(CONNECTORS.map((f) => [f.type, f])),
  };
}
