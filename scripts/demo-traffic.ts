/**
 * Demo traffic until the full demo platform exists: an inference service instrumented with the real
 * OpenTelemetry JS SDK, sending traces (OTLP/HTTP protobuf), metrics (OTLP/HTTP JSON) and logs
 * (OTLP/gRPC) to a local Vigil. Shapes follow the seed: gateway → inference.predict with preprocess,
 * forward pass and postprocess phases, model version v3.1 with a v3.2 canary, occasional errors.
 *
 *   node --import tsx scripts/demo-traffic.ts [otlpHttpPort=4318] [otlpGrpcPort=4317]
 */
import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const httpPort = Number(process.argv[2] ?? 4318);
const grpcPort = Number(process.argv[3] ?? 4317);

const resource = resourceFromAttributes({
  'service.name': 'ml-inference-service',
  'service.version': '1.4.2',
  'deployment.environment': 'production',
  'ml.model.name': 'fraud-detector-v3',
  'host.name': 'gpu-node-1',
});

const tracerProvider = new BasicTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${httpPort}/v1/traces` })),
  ],
});
const meterProvider = new MeterProvider({
  resource,
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${httpPort}/v1/metrics` }),
      exportIntervalMillis: 5000,
    }),
  ],
});
const loggerProvider = new LoggerProvider({
  resource,
  processors: [
    new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${grpcPort}` }) }),
  ],
});

const tracer = tracerProvider.getTracer('ml.inference', '1.0.0');
const logger = loggerProvider.getLogger('ml.inference');
const meter = meterProvider.getMeter('ml.inference');
const latency = meter.createHistogram('ml_inference_latency_seconds', {
  unit: 's',
  advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
});
const predictions = meter.createCounter('ml_predictions_total');

// Parents are passed explicitly: the demo registers no async context manager.
function phase(
  parent: Context,
  name: string,
  startMillis: number,
  durationMillis: number,
  attributes: Record<string, number | boolean>,
): void {
  tracer.startSpan(name, { startTime: startMillis, attributes }, parent).end(startMillis + durationMillis);
}

function predict(): void {
  const canary = Math.random() < 0.1;
  const version = canary ? '3.2.0' : '3.1.0';
  const start = Date.now();
  const forwardMillis = (canary ? 46 : 40) * (0.5 + Math.random());
  const failed = Math.random() < 0.02;
  const gateway = tracer.startSpan('POST /predict', {
    kind: 1,
    startTime: start,
    attributes: {
      'http.route': '/predict',
      'http.request.method': 'POST',
      'http.response.status_code': failed ? 500 : 200,
    },
  });
  const gatewayContext = trace.setSpan(context.active(), gateway);
  const root = tracer.startSpan(
    'inference.predict',
    {
      startTime: start + 1,
      attributes: {
        'ml.model.name': 'fraud-detector-v3',
        'ml.model.version': version,
        'ml.request.batch_size': 8,
      },
    },
    gatewayContext,
  );
  const rootContext = trace.setSpan(gatewayContext, root);
  phase(rootContext, 'inference.preprocess', start + 1, 5, {
    'ml.preprocess.feature_count': 128,
    'ml.preprocess.null_count': 0,
  });
  phase(rootContext, 'inference.forward_pass', start + 6, forwardMillis, { 'ml.inference.gpu_used': true });
  phase(rootContext, 'inference.postprocess', start + 6 + forwardMillis, 2, {
    'ml.postprocess.flagged_count': Math.random() < 0.05 ? 1 : 0,
  });
  const resultClass = failed ? 'error' : Math.random() < 0.05 ? 'fraud' : 'legitimate';
  if (failed) {
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'model returned NaN' });
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'prediction failed: model returned NaN',
      context: rootContext,
    });
  }
  latency.record((forwardMillis + 8) / 1000, {
    model_name: 'fraud-detector',
    model_version: version,
    endpoint: '/predict',
  });
  predictions.add(1, { model_name: 'fraud-detector', model_version: version, result_class: resultClass });
  root.end(start + 8 + forwardMillis);
  gateway.end(start + 10 + forwardMillis);
}

const timer = setInterval(() => {
  for (let i = 0; i < 5; i++) predict();
}, 100);

async function shutdown(): Promise<void> {
  clearInterval(timer);
  await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
console.log(`demo traffic → OTLP/HTTP :${httpPort}, OTLP/gRPC :${grpcPort} (50 predictions/s)`);
