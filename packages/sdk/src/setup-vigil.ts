/**
 * `setupVigil`: one call that wires traces (Vigil's lean tracer provider by default, or the OTel
 * JS SDK's), metrics and logs (OTel JS SDK) to Vigil over OTLP, with the ML resource attributes, and registers the globals (AsyncLocalStorage context
 * manager, W3C trace-context + baggage propagator, tracer/meter/logger providers) so that
 * auto-instrumentation and `trace.getTracer()` elsewhere in the process see the same pipeline.
 */
import { context, metrics, propagation, trace, type Meter, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { logs, type Logger } from '@opentelemetry/api-logs';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from './context-manager.ts';
import { LeanTracerProvider } from './lean-tracer/lean-tracer-provider.ts';
import { ParentBasedAlwaysOnSampler } from './parent-based-always-on-sampler.ts';
import { PooledIdGenerator } from './pooled-id-generator.ts';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT,
  ATTR_ML_MODEL_NAME,
  ATTR_ML_MODEL_VERSION,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  INSTRUMENTATION_SCOPE,
} from './ml-attributes.ts';
import { createMlMetrics, type MlMetrics } from './ml-metrics.ts';
import { createOtlpExporters, resolveOtlpTarget, type OtlpProtocol } from './otlp-exporters.ts';

export interface VigilSdkOptions {
  serviceName: string;
  serviceVersion?: string;
  /** `deployment.environment`. */
  environment?: string;
  /** `ml.model.name` / `ml.model.version` on the resource. */
  model?: { name: string; version: string };
  /** OTLP/HTTP base URL; default OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318. */
  endpoint?: string;
  /** OTLP/gRPC URL used when protocol is 'grpc'; default OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4317. */
  grpcEndpoint?: string;
  /** Default OTEL_EXPORTER_OTLP_PROTOCOL, else 'http/protobuf'. */
  protocol?: OtlpProtocol;
  /** Default 15000. */
  metricExportIntervalMillis?: number;
  /** Extra resource attributes; the named options above win over these. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Replace the OTLP exporters / reader (tests: InMemorySpanExporter etc.). */
  spanExporter?: SpanExporter;
  metricReader?: MetricReader;
  logExporter?: LogRecordExporter;
  /**
   * 'vigil' (default): Vigil's lean tracer provider (lean-tracer/), ParentBased(AlwaysOn) and a
   * batching processor, at a lower cost per span; 'otel-sdk': the OTel JS SDK's BasicTracerProvider
   * with a BatchSpanProcessor. Both export through the same SpanExporter.
   */
  tracerProvider?: 'otel-sdk' | 'vigil';
  /** Register global providers, context manager and propagator; default true. */
  registerGlobals?: boolean;
}

export interface VigilSdk {
  tracer: Tracer;
  meter: Meter;
  logger: Logger;
  metrics: MlMetrics;
  resource: Resource;
  /** Flushes, shuts the providers down and unregisters the globals this call registered; never rejects. */
  shutdown(): Promise<void>;
  /** Exports everything buffered: spans, a metric collection, log records. */
  forceFlush(): Promise<void>;
}

const DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS = 15_000;

/**
 * Sets up traces, metrics and logs export to Vigil.
 *
 * @example
 * const sdk = setupVigil({
 *   serviceName: 'ml-inference-service', serviceVersion: '1.4.2', environment: 'production',
 *   model: { name: 'fraud-detector-v3', version: '3.1.0' },
 * });
 * process.on('SIGTERM', () => void sdk.shutdown());
 */
export function setupVigil(options: VigilSdkOptions): VigilSdk {
  const resource = vigilResource(options);
  const exporters = createOtlpExporters(resolveOtlpTarget(options), {
    ...(options.spanExporter && { spanExporter: options.spanExporter }),
    ...(options.logExporter && { logExporter: options.logExporter }),
  });
  const metricReader =
    options.metricReader ??
    new PeriodicExportingMetricReader({
      exporter: exporters.metricExporter,
      exportIntervalMillis: options.metricExportIntervalMillis ?? DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS,
    });
  const tracerProvider = createTracerProvider(options.tracerProvider ?? 'vigil', resource, exporters.spanExporter);
  const meterProvider = new MeterProvider({ resource, readers: [metricReader] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: exporters.logExporter })] });
  const unregister = options.registerGlobals === false ? () => {} : registerGlobals(tracerProvider, meterProvider, loggerProvider);

  const meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE);
  const providers = [tracerProvider, meterProvider, loggerProvider];
  return {
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE),
    meter,
    logger: loggerProvider.getLogger(INSTRUMENTATION_SCOPE),
    metrics: createMlMetrics(meter),
    resource,
    forceFlush: async () => {
      await Promise.all(providers.map((provider) => provider.forceFlush()));
    },
    shutdown: async () => {
      // Exiting must not crash because Vigil is unreachable: the final export's failure is
      // already reported by the exporters (OTel diag); forceFlush() does reject for callers who ask.
      await Promise.allSettled(providers.map((provider) => provider.shutdown()));
      unregister();
    },
  };
}

interface FlushableTracerProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

function createTracerProvider(kind: 'otel-sdk' | 'vigil', resource: Resource, spanExporter: SpanExporter): FlushableTracerProvider {
  if (kind === 'vigil') return new LeanTracerProvider({ resource, exporter: spanExporter });
  return new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(spanExporter)],
    // Ids from a pooled crypto.randomFillSync buffer: cheaper per span than the default generator.
    idGenerator: new PooledIdGenerator(),
    // The default ParentBased(AlwaysOn) decisions, without re-validating the parent per span.
    sampler: new ParentBasedAlwaysOnSampler(),
  });
}

/**
 * SDK defaults (telemetry.sdk.*), then OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME, then
 * `resourceAttributes`, then the named options — later wins, as in Resource.merge.
 */
function vigilResource(options: VigilSdkOptions): Resource {
  const named: Record<string, string> = { [ATTR_SERVICE_NAME]: options.serviceName };
  if (options.serviceVersion !== undefined) named[ATTR_SERVICE_VERSION] = options.serviceVersion;
  if (options.environment !== undefined) named[ATTR_DEPLOYMENT_ENVIRONMENT] = options.environment;
  if (options.model !== undefined) {
    named[ATTR_ML_MODEL_NAME] = options.model.name;
    named[ATTR_ML_MODEL_VERSION] = options.model.version;
  }
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(options.resourceAttributes ?? {}))
    .merge(resourceFromAttributes(named));
}

/** Registers the globals; returns a function that unregisters those that this call set. */
function registerGlobals(
  tracerProvider: TracerProvider,
  meterProvider: MeterProvider,
  loggerProvider: LoggerProvider,
): () => void {
  const contextManager = new AsyncLocalStorageContextManager();
  const registered = {
    context: context.setGlobalContextManager(contextManager),
    propagation: propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    ),
    trace: trace.setGlobalTracerProvider(tracerProvider),
    metrics: metrics.setGlobalMeterProvider(meterProvider),
    logs: logs.setGlobalLoggerProvider(loggerProvider) === loggerProvider,
  };
  return () => {
    // The API's disable() drops whatever is registered, so only undo what this call set.
    if (registered.context) context.disable();
    if (registered.propagation) propagation.disable();
    if (registered.trace) trace.disable();
    if (registered.metrics) metrics.disable();
    if (registered.logs) logs.disable();
  };
}
